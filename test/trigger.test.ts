// The FaceSpace Trigger through n8n-core's TriggerContext and engine, against the simulator's scenario clock.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

import { WorkflowExecute } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { nextTick } from '../nodes/FaceSpace/core/schedule';
import { activateTrigger, additionalData, node, nodeStaticData, PACKAGE_DIR, TRIGGER, workflowOf, type RunningTrigger } from './harness/n8n';
import { control, startSimulator, type Simulator } from './harness/simulator';

type Interval = { person: string; camera: string; begin: string; end: string };
type Event = { event: string; camera?: string; person?: string; at: string; firstSeenAt?: string; lastSeenAt?: string; durationSeconds?: number; eventId: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const events = (trigger: RunningTrigger): Event[] => trigger.emitted.flatMap((run) => run[0].map((item) => item.json as unknown as Event));

describe('nextTick', () => {
	it.each([
		[0, 100, 0, 100],
		[0, 100, 99, 100],
		[0, 100, 100, 200],
		[0, 100, 351, 400],
		[1000, 100, 500, 1100],
	])('start %i, every %i ms, after %i: %i', (start, interval, after, due) => {
		expect(nextTick(start, interval, after)).toBe(due);
	});
});

/**
 * Run the trigger while the scenario plays at `speed`, then check every event against the
 * simulator's ground truth: each arrival and departure belongs to exactly one presence interval,
 * and each interval inside the run has its arrival and its departure.
 */
async function playAndCheck(sim: Simulator, parameters: IDataObject, { speed, seconds, leaveAfter, slackMs }: { speed: number; seconds: number; leaveAfter: number; slackMs: number }) {
	sim.setSpeed(speed);
	const realStart = Date.now();
	const scenStart = sim.now();
	const trigger = await activateTrigger({ pollInterval: 0.1, events: ['personArrived', 'personLeft'], ...parameters, options: { leaveAfter, ...(parameters.options as IDataObject) } }, { apiKey: 'demo-key', baseUrl: sim.baseUrl });
	await sleep(seconds * 1000);
	await trigger.close();
	const scenEnd = sim.now();
	sim.setSpeed(0);
	const toScen = (iso: string) => scenStart + (Date.parse(iso) - realStart) * speed;
	const slack = slackMs * speed;
	const grace = leaveAfter * 1000 * speed;
	const truth: Interval[] = (await control(sim, 'GET', `/truth?from=${new Date(scenStart - 3_600_000).toISOString()}&to=${new Date(scenEnd).toISOString()}`)).json.intervals;
	const got = events(trigger);
	const matched = new Map<string, number>();
	for (const e of got) {
		const at = toScen(e.at);
		// each event belongs to the latest interval of its camera and person whose edge it follows
		const edgeOf = (iv: Interval) => Date.parse(e.event === 'personArrived' ? iv.begin : iv.end);
		const before = truth.filter((iv) => iv.camera === e.camera && iv.person === e.person && edgeOf(iv) <= at + 1000 * speed);
		const owner = before.sort((a, b) => edgeOf(b) - edgeOf(a))[0];
		// a departure comes from grace after the last successful sighting: failed polls can make that the end itself
		const lag = owner ? at - edgeOf(owner) : Infinity;
		const allowed = slack + (e.event === 'personLeft' ? grace : 0);
		expect({ event: e, late: lag > allowed }).toEqual({ event: e, late: false });
		const key = `${e.event}|${owner.camera}|${owner.person}|${owner.begin}`;
		matched.set(key, (matched.get(key) ?? 0) + 1);
	}
	expect([...matched.values()].every((n) => n === 1)).toBe(true);
	const inside = (t: number) => t > scenStart + slack && t < scenEnd - slack;
	let expectedEvents = 0;
	for (const iv of truth) {
		if (inside(Date.parse(iv.begin))) {
			expectedEvents++;
			expect(matched.get(`personArrived|${iv.camera}|${iv.person}|${iv.begin}`)).toBe(1);
		}
		if (inside(Date.parse(iv.end) + grace)) {
			expectedEvents++;
			expect(matched.get(`personLeft|${iv.camera}|${iv.person}|${iv.begin}`)).toBe(1);
		}
	}
	expect(expectedEvents).toBeGreaterThan(10);
	return { trigger, got };
}

describe('FaceSpace Trigger', () => {
	let sim: Simulator;
	const credentials = () => ({ apiKey: 'demo-key', baseUrl: sim.baseUrl });

	beforeAll(async () => {
		// stays and gaps of 1 to 7 minutes: at speed 100 every stay is longer than a poll plus the grace
		sim = await startSimulator({ seed: 5, minStaySeconds: 60, maxStaySeconds: 400, minGapSeconds: 60, maxGapSeconds: 400 });
	});
	afterAll(() => sim.close());
	afterEach(async () => {
		sim.setSpeed(0);
		await control(sim, 'DELETE', '/faults');
	});

	it('announces exactly the arrivals and departures of the ground truth, nothing extra', async () => {
		const { trigger } = await playAndCheck(sim, {}, { speed: 100, seconds: 12, leaveAfter: 0.2, slackMs: 400 });
		const left = events(trigger).find((e) => e.event === 'personLeft') as Event;
		expect(left).toEqual({
			event: 'personLeft',
			camera: expect.any(String),
			person: expect.any(String),
			at: expect.stringMatching(/Z$/),
			firstSeenAt: expect.stringMatching(/Z$/),
			lastSeenAt: expect.stringMatching(/Z$/),
			durationSeconds: expect.any(Number),
			eventId: `personLeft|${left.camera}|${left.person}|${left.firstSeenAt}`,
		});
		// one execution per poll: far fewer executions than polls
		expect(trigger.emitted.length).toBeLessThan(12 / 0.1 / 2);
	}, 30_000);

	it('loses and duplicates nothing through 10 % faults of every transient kind', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		sim.clearRequests();
		const kinds = [
			{ kind: 'status', status: 429, retryAfter: '0' },
			{ kind: 'status', status: 500 },
			{ kind: 'status', status: 502 },
			{ kind: 'status', status: 503 },
			{ kind: 'status', status: 504 },
			{ kind: 'html' },
			{ kind: 'truncated' },
			{ kind: 'malformed' },
			{ kind: 'badshape' },
			{ kind: 'reset' },
			{ kind: 'hang' },
		];
		await control(sim, 'POST', '/faults', kinds.map((f) => ({ ...f, rate: 0.1 / kinds.length, path: 'recognition' })));
		try {
			await playAndCheck(sim, { options: { timeout: 1 } }, { speed: 10, seconds: 110, leaveAfter: 1.5, slackMs: 8000 });
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
		expect(unhandled).toEqual([]);
		expect(sim.requests().length).toBeGreaterThan(800);
	}, 180_000);

	it('resumes from saved static data without announcing anyone again', async () => {
		const staticData: IDataObject = {};
		const first = await activateTrigger({ pollInterval: 0.1, events: ['personArrived', 'personLeft'], options: { onStart: 'announce' } }, credentials(), { staticData });
		await first.close();
		const announced = events(first).map((e) => e.person);
		expect(announced.length).toBeGreaterThan(0);
		expect(nodeStaticData(first).presence).toEqual(expect.objectContaining({ visits: expect.any(Object) }));
		const second = await activateTrigger({ pollInterval: 0.1, events: ['personArrived', 'personLeft'], options: { onStart: 'announce' } }, credentials(), { staticData });
		await sleep(500);
		await second.close();
		expect(events(second)).toEqual([]);
		const fresh = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'], options: { onStart: 'announce' } }, credentials());
		await fresh.close();
		expect(events(fresh).map((e) => e.person)).toEqual(announced);
	});

	it('stays silent on start by default, and emits per event when asked', async () => {
		const silent = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'] }, credentials());
		await sleep(300);
		await silent.close();
		expect(silent.emitted).toEqual([]);
		const perEvent = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'], options: { onStart: 'announce', emit: 'perEvent' } }, credentials());
		await perEvent.close();
		expect(perEvent.emitted.length).toBeGreaterThan(1);
		expect(perEvent.emitted.every((run) => run[0].length === 1)).toBe(true);
	});

	it("polls through n8n's HTTP client when asked, with the same events", async () => {
		sim.clearRequests();
		const viaN8n = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'], options: { onStart: 'announce', useN8nHttpClient: true } }, credentials());
		await sleep(300);
		await viaN8n.close();
		const viaFetch = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'], options: { onStart: 'announce' } }, credentials());
		await viaFetch.close();
		expect(events(viaN8n).map((e) => `${e.camera}|${e.person}`)).toEqual(events(viaFetch).map((e) => `${e.camera}|${e.person}`));
		expect(sim.requests().length).toBeGreaterThan(2);
		expect(sim.requests().every((r: any) => r.apiKey === 'valid')).toBe(true);
	});

	it('reports cameras going inactive and coming back, and polls slower meanwhile', async () => {
		const trigger = await activateTrigger({ pollInterval: 0.1, events: ['camerasInactive', 'camerasActive'] }, credentials());
		sim.clearRequests();
		await control(sim, 'POST', '/faults', { kind: 'stop', count: 1 });
		await sleep(1500);
		const whileStopped = sim.requests().length;
		await sleep(4500);
		await trigger.close();
		expect(events(trigger).map((e) => e.event)).toEqual(['camerasInactive', 'camerasActive']);
		expect(whileStopped).toBeLessThanOrEqual(2);
	});

	it('fails activation with a clear message when the key is rejected', async () => {
		await expect(activateTrigger({ pollInterval: 1, events: ['personArrived'] }, { apiKey: 'wrong', baseUrl: sim.baseUrl })).rejects.toThrow(
			'The API key was rejected (401): check the FaceSpace credential',
		);
	});

	it('reports a key rejected later as an error that needs a person, and stops polling', async () => {
		const trigger = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'] }, credentials());
		await control(sim, 'POST', '/faults', { kind: 'status', status: 401, count: 1 });
		await sleep(400);
		const requests = sim.requests().length;
		await sleep(300);
		expect(trigger.errors.map((e) => e.message)).toEqual(['The API key was rejected (401): check the FaceSpace credential']);
		expect(sim.requests().length).toBe(requests);
		await trigger.close();
	});

	it('closes within a second, mid-request, and emits nothing after', async () => {
		const trigger = await activateTrigger({ pollInterval: 3600, events: ['personArrived'], options: { onStart: 'announce' } }, credentials());
		const sleeping = Date.now();
		await trigger.close();
		await trigger.close();
		expect(Date.now() - sleeping).toBeLessThan(1000);

		const busy = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'], options: { onStart: 'announce', timeout: 30 } }, credentials());
		await control(sim, 'POST', '/faults', { kind: 'hang', count: 1 });
		await sleep(300);
		const closing = Date.now();
		await busy.close();
		expect(Date.now() - closing).toBeLessThan(1000);
		const emitted = busy.emitted.length;
		sim.setSpeed(1000);
		await sleep(500);
		expect(busy.emitted.length).toBe(emitted);
	});

	it('leaves nothing running after close: a process that ran and closed it ends by itself', async () => {
		execFileSync(process.execPath, [join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.scripts.json'], { cwd: PACKAGE_DIR });
		const script = `
			const { activateTrigger, stopCoreTimers } = require(${JSON.stringify(join(PACKAGE_DIR, '.cache', 'scripts', 'test', 'harness', 'n8n.js'))});
			const { startSimulator } = require(${JSON.stringify(join(PACKAGE_DIR, 'simulator'))});
			(async () => {
				const sim = await startSimulator({ port: 0, speed: 100 });
				const trigger = await activateTrigger({ pollInterval: 0.1, events: ['personArrived', 'personLeft'], options: { onStart: 'announce' } }, { apiKey: 'demo-key', baseUrl: sim.baseUrl });
				await new Promise((resolve) => setTimeout(resolve, 1500));
				await trigger.close();
				await sim.close();
				stopCoreTimers();
				console.log('closed after ' + trigger.emitted.length + ' executions');
			})();`;
		// no process.exit in the script: a timer, socket or loop of ours left behind would keep it alive
		const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, N8N_LOG_LEVEL: 'silent' } });
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (out += c.toString()));
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		expect(out).toMatch(/closed after [1-9]\d* executions/);
		expect(code).toBe(0);
	}, 60_000);

	it('answers "Listen for test event" promptly: the first change, or who is present as samples', async () => {
		const manual = await activateTrigger({ pollInterval: 0.1, events: ['personArrived'] }, credentials(), { mode: 'manual' });
		expect(manual.response.manualTriggerFunction).toBeDefined();
		manual.context.emit = ((data: INodeExecutionData[][]) => manual.emitted.push(data)) as never;
		await manual.response.manualTriggerFunction?.();
		await manual.close();
		const samples = manual.emitted[0][0].map((i) => i.json);
		expect(samples.length).toBeGreaterThan(0);
		expect(samples[0]).toEqual(expect.objectContaining({ sample: true, note: expect.stringContaining('Sample') }));
	}, 15_000);

	it('runs as a manual execution through WorkflowExecute, ending on the first emit', async () => {
		sim.setSpeed(200);
		const triggerNode = node(TRIGGER, { pollInterval: 0.1, events: ['personArrived', 'personLeft'] }, 'FaceSpace Trigger');
		const workflow = await workflowOf([triggerNode]);
		const run = await new WorkflowExecute(additionalData(credentials()), 'manual').run(workflow, triggerNode);
		const output = run.data.resultData.runData['FaceSpace Trigger'][0].data?.main[0] ?? [];
		expect(output.length).toBeGreaterThan(0);
		expect(output[0].json).toEqual(expect.objectContaining({ event: expect.stringMatching(/^person(Arrived|Left|Present)$/) }));
	}, 15_000);
});
