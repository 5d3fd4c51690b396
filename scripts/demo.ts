// npm run demo [-- --seconds N] [--speed X] [--base-url URL --api-key KEY]
// The FaceSpace Trigger live through n8n-core's engine, then an attendance summary from the action node.
import './demo-env';

import { parseArgs } from 'node:util';

import type { IDataObject } from 'n8n-workflow';

import { activateTrigger, runAction, stopCoreTimers, type Credentials, type RunningTrigger } from '../test/harness/n8n';
import { startSimulator, type Simulator } from '../test/harness/simulator';

const { values } = parseArgs({
	options: {
		seconds: { type: 'string', default: '30' },
		speed: { type: 'string', default: '60' },
		interval: { type: 'string', default: '0.2' },
		'base-url': { type: 'string' },
		'api-key': { type: 'string' },
		faults: { type: 'string', default: '503@0.02,reset@0.01' },
	},
});

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const green = (s: string) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);
const time = (iso: string) => iso.slice(11, 19);

async function main() {
	const seconds = Number(values.seconds);
	const speed = Number(values.speed);
	let sim: Simulator | undefined;
	let credentials: Credentials;
	if (values['base-url']) {
		const apiKey = values['api-key'] ?? process.env.FACESPACE_API_KEY;
		if (!apiKey) throw new Error('--base-url needs --api-key or FACESPACE_API_KEY');
		credentials = { baseUrl: values['base-url'], apiKey };
		console.log(`FaceSpace at ${credentials.baseUrl}`);
	} else {
		sim = await startSimulator({ seed: 1, speed, start: Date.now(), faults: values.faults });
		credentials = { baseUrl: sim.baseUrl, apiKey: sim.apiKey };
		console.log(`FaceSpace simulator at ${sim.baseUrl} (scenario clock ×${speed}, faults ${values.faults || 'none'})`);
	}
	const scenarioNow = () => (sim ? sim.now() : Date.now());
	const rangeStart = new Date(scenarioNow()).toISOString();

	// who is where, kept from the trigger's own events
	const present = new Map<string, Set<string>>();
	let events = 0;
	const trigger: RunningTrigger = await activateTrigger(
		{ pollInterval: Number(values.interval), events: ['personArrived', 'personLeft', 'camerasInactive', 'camerasActive'], options: { onStart: 'announce', leaveAfter: 1 } },
		credentials,
		{ onEmit: (data) => {
			for (const { json } of data[0]) {
				const e = json as IDataObject;
				events++;
				const here = present.get(String(e.camera)) ?? new Set<string>();
				present.set(String(e.camera), here);
				if (e.event === 'personArrived') {
					here.add(String(e.person));
					console.log(`${time(String(e.at))}  ${green('→ arrived')}  ${e.person} at ${e.camera}`);
				} else if (e.event === 'personLeft') {
					here.delete(String(e.person));
					console.log(`${time(String(e.at))}  ${red('← left   ')}  ${e.person} from ${e.camera} after ${e.durationSeconds} s`);
				} else console.log(`${time(String(e.at))}  ${bold(String(e.event))} ${e.message ?? ''}`);
			}
		}, onLog: (level, message) => console.log(`${new Date().toISOString().slice(11, 19)}  ${level === 'warn' ? red('! ') : '  '}${message}`) },
	);

	const started = Date.now();
	let lastRequests = sim?.requests().length ?? 0;
	const status = setInterval(() => {
		const requests = sim?.requests().length ?? 0;
		const rate = sim ? `${((requests - lastRequests) / 2).toFixed(1)} polls/s` : '';
		lastRequests = requests;
		const cameras = [...present].map(([camera, people]) => `${camera}: ${[...people].join(', ') || '—'}`).join('  |  ');
		console.log(bold(`        now  ${cameras || 'nobody yet'}   ${rate}`));
	}, 2000);

	let finishing = false;
	const finish = async () => {
		if (finishing) return;
		finishing = true;
		clearInterval(status);
		await trigger.close();
		const rangeEnd = new Date(scenarioNow()).toISOString();
		console.log(`\n${bold('Trigger')} ran ${((Date.now() - started) / 1000).toFixed(0)} s: ${events} events${sim ? `, ${sim.requests().length} polls` : ''}.`);
		const { items, error } = await runAction({ resource: 'sighting', operation: 'summarize', start: rangeStart, end: rangeEnd, options: { timeZone: 'utc' } }, credentials);
		if (error) console.log(red(`Summary failed: ${error.message}`));
		else {
			console.log(`\n${bold(`Attendance ${rangeStart.slice(0, 16)} – ${rangeEnd.slice(11, 16)} UTC`)} (FaceSpace node, Summarize)`);
			if (sim && speed !== 1) console.log(`The simulator's clock runs ×${speed}: this run wrote ${Math.round(((Date.now() - started) * speed) / 60_000)} minutes of recognition log.`);
			const rows = items.map(({ json }) => [String(json.person), time(String(json.firstSeen)), time(String(json.lastSeen)), String(json.sightings), (json.cameras as string[]).join(', ')]);
			const head = ['Person', 'First seen', 'Last seen', 'Sightings', 'Cameras'];
			const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]].length)));
			const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ');
			console.log(line(head));
			console.log(widths.map((w) => '-'.repeat(w)).join('  '));
			for (const row of rows) console.log(line(row));
		}
		await sim?.close();
		stopCoreTimers();
		process.exit(0);
	};
	process.once('SIGINT', finish);
	process.once('SIGTERM', finish);
	if (seconds > 0) setTimeout(finish, seconds * 1000);
}

main().catch((error) => {
	console.error(red(`demo: ${error.message}`));
	process.exit(1);
});
