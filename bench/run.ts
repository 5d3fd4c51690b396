// npm run bench: every benchmark against the simulator on loopback, each beside its baseline in the same run.
// Prints one table and writes it to bench/results.md. Nothing here is a test assertion.
import '../scripts/demo-env';

import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { DateTime } from 'luxon';
import { Agent, request } from 'undici';

import { PresenceTracker } from '../nodes/FaceSpace/core/presence';
import { parseSighting } from '../nodes/FaceSpace/core/sighting';
import { FaceSpaceClient } from '../nodes/FaceSpace/transport';
import { Poller } from '../nodes/FaceSpace/trigger/poller';
import { activateTrigger, nodeContext, PACKAGE_DIR, runAction, stopCoreTimers } from '../test/harness/n8n';

type Row = { bench: string; figure: string; value: string; baseline: string; ratio: string; goal: string };
const rows: Row[] = [];
const fmt = (n: number, digits = 2) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(digits));
const arg = (name: string, fallback: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const POLLS = arg('polls', 10_000);
const RHYTHM_SECONDS = arg('rhythm-seconds', 60);

/** A simulator in its own process, so its CPU is not counted as the client's. */
async function simulator(args: string[]): Promise<{ baseUrl: string; origin: string; child: ChildProcess; stop: () => void }> {
	const child = fork(join(PACKAGE_DIR, 'simulator', 'cli.js'), ['--port', '0', '--start', '2026-01-01T12:00:00Z', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
	const baseUrl = await new Promise<string>((resolve, reject) => {
		child.stdout?.on('data', (chunk: Buffer) => {
			const m = /listening on (\S+)/.exec(chunk.toString());
			if (m) resolve(m[1]);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
	});
	return { baseUrl, origin: new URL(baseUrl).origin, child, stop: () => child.kill('SIGTERM') };
}

async function state(origin: string): Promise<{ connections: number; requests: number }> {
	const res = await request(`${origin}/__simulator/state`);
	return (await res.body.json()) as { connections: number; requests: number };
}

/** Client CPU (user + system) and wall time per call of `fn`: the better of two halves of `n` calls, after a warm-up. */
async function measure(n: number, fn: () => Promise<unknown>): Promise<{ cpuUs: number; wallUs: number }> {
	for (let i = 0; i < 500; i++) await fn();
	let best = { cpuUs: Infinity, wallUs: Infinity };
	for (let half = 0; half < 2; half++) {
		const cpu = process.cpuUsage();
		const wall = process.hrtime.bigint();
		for (let i = 0; i < n / 2; i++) await fn();
		const used = process.cpuUsage(cpu);
		const round = { cpuUs: (used.user + used.system) / (n / 2), wallUs: Number(process.hrtime.bigint() - wall) / 1000 / (n / 2) };
		if (round.cpuUs < best.cpuUs) best = round;
	}
	return best;
}

/** Like `measure` for several contenders at once: rounds of each in turn, the best round of each kept. */
async function interleave(n: number, fns: Array<() => Promise<unknown>>): Promise<Array<{ cpuUs: number; wallUs: number }>> {
	const rounds = 5;
	const best = fns.map(() => ({ cpuUs: Infinity, wallUs: Infinity }));
	for (const fn of fns) for (let i = 0; i < 500; i++) await fn();
	for (let round = 0; round < rounds; round++) {
		for (let f = 0; f < fns.length; f++) {
			const cpu = process.cpuUsage();
			const wall = process.hrtime.bigint();
			for (let i = 0; i < n / rounds; i++) await fns[f]();
			const used = process.cpuUsage(cpu);
			const result = { cpuUs: (used.user + used.system) / (n / rounds), wallUs: Number(process.hrtime.bigint() - wall) / 1000 / (n / rounds) };
			if (result.cpuUs < best[f].cpuUs) best[f] = result;
		}
	}
	return best;
}

async function pollCost() {
	const sim = await simulator([]);
	const credentials = { apiKey: 'demo-key', baseUrl: sim.baseUrl };
	const url = `${sim.baseUrl}/recognition`;
	const headers = { 'x-api-key': 'demo-key', accept: 'application/json' };

	const ctx = await nodeContext(credentials);
	const poller = new Poller(ctx, await FaceSpaceClient.create(ctx, { sender: 'fetch', retry: { retries: 0, baseMs: 0, capMs: 0, maxRetryAfterMs: 0 } }), new PresenceTracker({ leaveAfterMs: 3000, cooldownMs: 0, announceExisting: false }), { intervalMs: 100, events: new Set(['personArrived', 'personLeft']), perEvent: false });
	const signal = new AbortController().signal;
	const before = await state(sim.origin);
	for (let i = 0; i < 1000; i++) await poller.poll(signal);
	const ourConnections = (await state(sim.origin)).connections - before.connections;
	const agent = new Agent({ keepAliveTimeout: 10_000, connections: 1 });
	// interleaved rounds, so warm-up and machine noise fall on every contender alike
	const [ours, bareFetch, floor] = await interleave(POLLS, [
		() => poller.poll(signal),
		async () => JSON.parse(await (await fetch(url, { headers })).text()),
		async () => JSON.parse(await (await request(url, { headers, dispatcher: agent })).body.text()),
	]);
	await agent.close();
	const n8n = await FaceSpaceClient.create(ctx, { sender: 'n8n' });
	const helperBefore = await state(sim.origin);
	const helperPolls = Math.min(POLLS, 3000);
	const helper = await measure(helperPolls, () => n8n.get('recognition'));
	const helperConnections = (await state(sim.origin)).connections - helperBefore.connections;
	sim.stop();

	const add = (figure: string, value: { cpuUs: number; wallUs: number }, goal = '') =>
		rows.push({ bench: 'Poll cost', figure, value: `${fmt(value.cpuUs)} µs CPU, ${fmt(value.wallUs)} µs wall`, baseline: `fetch loop ${fmt(bareFetch.cpuUs)} µs CPU`, ratio: `${fmt(value.cpuUs / bareFetch.cpuUs)}×`, goal });
	add(`trigger poll path (${POLLS} polls)`, ours, '≤ 1.2× fetch loop');
	add('bare undici request, keep-alive (floor)', floor);
	add(`n8n-core request helper (${helperPolls} polls)`, helper);
	rows.push({ bench: 'Poll cost', figure: 'TCP connections opened', value: `${ourConnections} (poll path, 1000 polls)`, baseline: `${helperConnections} (n8n helper, ${helperPolls + 500} requests)`, ratio: '', goal: '1 for the whole run' });
}

/**
 * Poll start times (as the server saw them) against the grid offset + k × interval, the offset being
 * the median one (the first request also pays for opening the connection). Drift: how far the last
 * tenth of the polls sits from the first tenth.
 */
function deviations(times: number[], intervalMs: number): { p50: number; p99: number; max: number; drift: number } {
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	const offsets = times.map((t, k) => t - k * intervalMs);
	const offset = median(offsets);
	const abs = offsets.map((o) => Math.abs(o - offset)).sort((a, b) => a - b);
	const q = (p: number) => abs[Math.min(abs.length - 1, Math.floor(p * abs.length))];
	const tenth = Math.max(1, Math.floor(offsets.length / 10));
	return { p50: q(0.5), p99: q(0.99), max: abs[abs.length - 1], drift: median(offsets.slice(-tenth)) - median(offsets.slice(0, tenth)) };
}

async function rhythm() {
	const ours = await simulator(['--faults', 'latency=20-40']);
	const theirs = await simulator(['--faults', 'latency=20-40']);
	const trigger = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'] }, { apiKey: 'demo-key', baseUrl: ours.baseUrl });
	// the official client's loop: request, then sleep the interval, so its period is interval + latency
	let running = true;
	const official = (async () => {
		while (running) {
			await (await fetch(`${theirs.baseUrl}/recognition`, { headers: { 'x-api-key': 'demo-key' } })).text();
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	})();
	await new Promise((resolve) => setTimeout(resolve, RHYTHM_SECONDS * 1000));
	running = false;
	await trigger.close();
	await official;
	const starts = async (origin: string) => ((await (await request(`${origin}/__simulator/requests`)).body.json()) as { at: string }[]).map((r) => Date.parse(r.at));
	const a = deviations(await starts(ours.origin), 100);
	const b = deviations(await starts(theirs.origin), 100);
	const polls = { ours: (await state(ours.origin)).requests, theirs: (await state(theirs.origin)).requests };
	ours.stop();
	theirs.stop();
	rows.push({ bench: 'Rhythm', figure: `polls in ${RHYTHM_SECONDS} s at 0.1 s (20–40 ms latency)`, value: `${polls.ours}`, baseline: `${polls.theirs} (official client's sleep-after)`, ratio: `${fmt(polls.ours / polls.theirs)}×`, goal: `${RHYTHM_SECONDS * 10 + 1} due` });
	rows.push({ bench: 'Rhythm', figure: 'start deviation p50 / p99 / max', value: `${a.p50} / ${a.p99} / ${a.max} ms`, baseline: `${b.p50} / ${b.p99} / ${b.max} ms`, ratio: '', goal: 'p99 ≤ 5 ms' });
	rows.push({ bench: 'Rhythm', figure: 'drift at the end', value: `${a.drift} ms`, baseline: `${b.drift} ms`, ratio: '', goal: 'none cumulative' });
}

function parse() {
	const people = ['Alice Martin', "Zoë O'Neil", 'Ali @ Home', '李小龙', 'Jean-Luc Picard'];
	const lines = Array.from({ length: 1_000_000 }, (_, i) => `${people[i % 5]} @ ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')} ${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/24`);
	const obvious = (line: string) => {
		const m = /^(.*) @ (\d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{2})$/.exec(line);
		if (!m) return undefined;
		const dt = DateTime.fromFormat(m[2], 'HH:mm:ss dd/MM/yy', { zone: 'utc' });
		return dt.isValid ? { camera: 'C', person: m[1], timestamp: dt.toISO({ suppressMilliseconds: true }) } : undefined;
	};
	// lines per second, best of three passes, results counted as a streaming consumer would
	const rate = (fn: (line: string) => unknown, count: number) => {
		let best = 0;
		for (let pass = 0; pass < 3; pass++) {
			let kept = 0;
			const start = process.hrtime.bigint();
			for (let i = 0; i < count; i++) if (fn(lines[i]) !== undefined) kept++;
			const perSecond = kept / (Number(process.hrtime.bigint() - start) / 1e9);
			best = Math.max(best, perSecond);
		}
		return best;
	};
	const ours = { perSecond: rate((line) => parseSighting('C', line), lines.length), mb: 0 };
	const base = { perSecond: rate(obvious, 50_000) };
	global.gc?.();
	const heap = process.memoryUsage().heapUsed;
	const items = lines.map((line) => parseSighting('C', line));
	ours.mb = (process.memoryUsage().heapUsed - heap) / 1e6;
	if (items.length !== lines.length) throw new Error('lost lines');
	rows.push({ bench: 'Parse', figure: '1 M sighting strings to items', value: `${fmt(ours.perSecond / 1e6)} M lines/s; 1 M items kept: ${fmt(ours.mb)} MB`, baseline: `${fmt(base.perSecond / 1e6, 3)} M lines/s (regex + luxon, 50 k lines)`, ratio: `${fmt(ours.perSecond / base.perSecond)}×`, goal: '≥ 2 M/s and ≥ 50×' });
}

async function range() {
	const sim = await simulator(['--people', '24', '--history-days', '1', '--resight', '5']);
	const credentials = { apiKey: 'demo-key', baseUrl: sim.baseUrl };
	const peak = async (fn: () => Promise<number>) => {
		global.gc?.();
		const base = process.memoryUsage().heapUsed;
		let top = base;
		const sampler = setInterval(() => (top = Math.max(top, process.memoryUsage().heapUsed)), 5);
		const start = process.hrtime.bigint();
		const count = await fn();
		const ms = Number(process.hrtime.bigint() - start) / 1e6;
		clearInterval(sampler);
		top = Math.max(top, process.memoryUsage().heapUsed);
		return { ms, mb: (top - base) / 1e6, count };
	};
	const bare = await peak(async () => {
		const body = JSON.parse(await (await request(`${sim.baseUrl}/logs`, { headers: { 'x-api-key': 'demo-key' } })).body.text()) as Record<string, string[]>;
		return Object.values(body).reduce((n, l) => n + l.length, 0);
	});
	const engine = await peak(async () => (await runAction({ resource: 'sighting', operation: 'getAll', returnAll: true }, credentials)).items.length);
	sim.stop();
	rows.push({ bench: 'Range', figure: `Get Many, ${engine.count} sightings, through the engine`, value: `${fmt(engine.ms)} ms, peak +${fmt(engine.mb)} MB heap`, baseline: `${fmt(bare.ms)} ms, +${fmt(bare.mb)} MB (bare GET + JSON.parse, ${bare.count})`, ratio: `${fmt(engine.ms / bare.ms)}× time`, goal: '' });
}

async function longRun() {
	const sim = await simulator(['--speed', '60']);
	const ctx = await nodeContext({ apiKey: 'demo-key', baseUrl: sim.baseUrl });
	const poller = new Poller(ctx, await FaceSpaceClient.create(ctx, { sender: 'fetch', retry: { retries: 0, baseMs: 0, capMs: 0, maxRetryAfterMs: 0 } }), new PresenceTracker({ leaveAfterMs: 500, cooldownMs: 0, announceExisting: false }), { intervalMs: 100, events: new Set(['personArrived', 'personLeft']), perEvent: false });
	const signal = new AbortController().signal;
	const heapAfter = async (polls: number) => {
		for (let i = 0; i < polls; i++) poller.emit(await poller.poll(signal), () => undefined);
		global.gc?.();
		await new Promise((resolve) => setTimeout(resolve, 100));
		global.gc?.();
		return process.memoryUsage().heapUsed;
	};
	const total = arg('long-polls', 100_000);
	const early = await heapAfter(1000);
	const late = await heapAfter(total - 1000);
	sim.stop();
	rows.push({ bench: 'Long run', figure: `heap after ${total} polls (GC)`, value: `${fmt(late / 1e6)} MB`, baseline: `${fmt(early / 1e6)} MB after 1000`, ratio: `+${fmt((late - early) / 1e6)} MB`, goal: 'growth < 2 MB' });
}

async function main() {
	if (!global.gc) throw new Error('run with node --expose-gc (npm run bench does)');
	const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
	console.log(`Machine: ${machine}`);
	const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
	for (const [name, fn] of [['poll cost', pollCost], ['parse', parse], ['range', range], ['long run', longRun], ['rhythm', rhythm]] as const) {
		if (only && only !== name.replace(' ', '-')) continue;
		console.log(`running ${name}…`);
		await fn();
	}
	const head = ['Benchmark', 'Figure', 'Ours', 'Baseline (same run)', 'Ratio', 'Goal'];
	const table = [head, head.map(() => '---'), ...rows.map((r) => [r.bench, r.figure, r.value, r.baseline, r.ratio, r.goal])].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
	const text = `Machine: ${machine}\n\n${table}\n`;
	console.log(`\n${text}`);
	if (!only) writeFileSync(join(PACKAGE_DIR, 'bench', 'results.md'), `# Benchmark results\n\nFrom \`npm run bench\`.\n\n${text}`);
	stopCoreTimers();
	process.exit(0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
