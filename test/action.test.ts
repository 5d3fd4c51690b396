// The FaceSpace action node, run by n8n-core's engine against the simulator over loopback.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeTypeDescription } from 'n8n-workflow';

import { listSearch, loadPackage, PACKAGE_DIR, runAction, type Credentials } from './harness/n8n';
import { control, startSimulator, type Simulator } from './harness/simulator';

type Truth = { now: string; sightings: { camera: string; person: string; at: string }[] };

describe('FaceSpace action node', () => {
	let sim: Simulator;
	let credentials: Credentials;
	let truth: Truth;

	beforeAll(async () => {
		sim = await startSimulator({ seed: 2 });
		credentials = { apiKey: 'demo-key', baseUrl: sim.baseUrl };
		truth = (await control(sim, 'GET', '/truth')).json;
	});
	afterAll(() => sim.close());
	afterEach(async () => {
		await control(sim, 'DELETE', '/faults');
	});

	const getMany = (params: IDataObject, input?: IDataObject[], settings?: IDataObject) =>
		runAction({ resource: 'sighting', operation: 'getAll', returnAll: true, ...params }, credentials, input, { settings });
	const asIso = (at: string) => at.replace('.000Z', 'Z');
	const truthBetween = (from: string, to: string, camera?: string) =>
		truth.sightings.filter((s) => s.at >= from && s.at <= to && (camera === undefined || s.camera === camera));

	describe('Get Many', () => {
		it('returns exactly the sightings between two instants to the second, although the API takes minutes', async () => {
			const start = '2026-01-01T09:00:30Z';
			const end = '2026-01-01T10:15:10Z';
			const { items, error } = await getMany({ start, end });
			expect(error).toBeUndefined();
			const expected = truthBetween('2026-01-01T09:00:30.000Z', '2026-01-01T10:15:10.000Z');
			expect(expected.length).toBeGreaterThan(20);
			expect(items.map((i) => i.json)).toEqual(expected.map((s) => ({ camera: s.camera, person: s.person, timestamp: asIso(s.at) })));
			expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
			const [request] = sim.requests().slice(-1) as { query: Record<string, string> }[];
			expect(request.query).toEqual({ start_time: '09:00 01/01/26', end_time: '10:16 01/01/26' });
		});

		it('reads times without an offset in the workflow time zone, or as UTC when asked', async () => {
			const zoned = await getMany({ start: '2026-01-01T10:00:00', end: '2026-01-01T10:30:00' }, undefined, { timezone: 'Europe/Berlin' });
			const utc = await getMany({ start: '2026-01-01T09:00:00', end: '2026-01-01T09:30:00', options: { timeZone: 'utc' } }, undefined, { timezone: 'Europe/Berlin' });
			expect(zoned.items.length).toBe(truthBetween('2026-01-01T09:00:00.000Z', '2026-01-01T09:30:00.000Z').length);
			expect(zoned.items.map((i) => i.json)).toEqual(utc.items.map((i) => i.json));
		});

		it('reads the documented day-first forms: 31/12/25 as a whole day', async () => {
			const { items } = await getMany({ start: '31/12/25', end: '31/12/25', options: { timeZone: 'utc' } });
			expect(items.length).toBe(truthBetween('2025-12-31T00:00:00.000Z', '2025-12-31T23:59:59.999Z').length);
		});

		it('with no start and no end returns the whole log', async () => {
			const { items } = await getMany({});
			expect(items.length).toBe(truth.sightings.length);
		});

		it('evaluates expressions per input item, each item its own request', async () => {
			sim.clearRequests();
			const input = [
				{ from: '2026-01-01T08:00:00Z', to: '2026-01-01T08:10:00Z', camera: 'Lobby' },
				{ from: '2026-01-01T11:00:00Z', to: '2026-01-01T11:20:00Z', camera: 'FrontDoor' },
			];
			const { items } = await getMany({
				start: '={{ $json.from }}',
				end: '={{ DateTime.fromISO($json.to) }}',
				camera: { __rl: true, mode: 'id', value: '={{ $json.camera }}' },
			}, input);
			const first = truthBetween('2026-01-01T08:00:00.000Z', '2026-01-01T08:10:00.000Z', 'Lobby');
			const second = truthBetween('2026-01-01T11:00:00.000Z', '2026-01-01T11:20:00.000Z', 'FrontDoor');
			expect(items.length).toBe(first.length + second.length);
			expect(items.filter((i) => (i.pairedItem as { item: number }).item === 0).map((i) => i.json.camera)).toEqual(first.map(() => 'Lobby'));
			expect(items.filter((i) => (i.pairedItem as { item: number }).item === 1).length).toBe(second.length);
			expect(sim.requests().map((r: any) => r.query.camera_id)).toEqual(['Lobby', 'FrontDoor']);
		});

		it('limits and sorts: the newest N across every camera', async () => {
			const { items } = await getMany({ returnAll: false, limit: 5, sort: 'newest' });
			const newest = [...truth.sightings].reverse().slice(0, 5);
			expect(items.map((i) => i.json.timestamp)).toEqual(newest.map((s) => asIso(s.at)));
			const oldest = await getMany({ returnAll: false, limit: 3 });
			expect(oldest.items.map((i) => i.json.timestamp)).toEqual(truth.sightings.slice(0, 3).map((s) => asIso(s.at)));
		});

		it('filters people exactly or ignoring case', async () => {
			const exact = await getMany({ filters: { people: 'Ali @ Home, dev@ops', ignoreCase: false } });
			expect(new Set(exact.items.map((i) => i.json.person))).toEqual(new Set(['Ali @ Home', 'dev@ops']));
			expect(exact.items.length).toBe(truth.sightings.filter((s) => s.person === 'Ali @ Home' || s.person === 'dev@ops').length);
			const wrongCase = await getMany({ filters: { people: 'ALI @ HOME', ignoreCase: false } });
			expect(wrongCase.items).toHaveLength(0);
			const anyCase = await getMany({ filters: { people: 'ALI @ HOME' } });
			expect(anyCase.items.length).toBe(truth.sightings.filter((s) => s.person === 'Ali @ Home').length);
		});

		it('gives one item per camera, or the raw answer', async () => {
			const range = { start: '2026-01-01T11:00:00Z', end: '2026-01-01T11:30:00Z' };
			const perCamera = await getMany({ ...range, options: { output: 'camera' } });
			const expected = truthBetween('2026-01-01T11:00:00.000Z', '2026-01-01T11:30:00.000Z');
			for (const item of perCamera.items) {
				const { camera, count, sightings } = item.json as { camera: string; count: number; sightings: IDataObject[] };
				expect(count).toBe(expected.filter((s) => s.camera === camera).length);
				expect(sightings[0]).toEqual({ person: expect.any(String), timestamp: expect.stringMatching(/Z$/) });
			}
			const raw = await getMany({ ...range, options: { output: 'raw' } });
			expect(raw.items).toHaveLength(1);
			expect(Object.keys(raw.items[0].json)).toEqual(sim.scenario.cameras);
			expect((raw.items[0].json.Lobby as string[])[0]).toMatch(/ @ \d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{2}$/);
		});

		it('stops at a malformed line with an error naming it, or skips and counts it', async () => {
			await control(sim, 'POST', '/faults', { kind: 'badline', count: 1 });
			const failed = await getMany({ start: '2026-01-01T11:00:00Z' });
			expect(failed.error?.message).toMatch(/cannot be read, on camera "FrontDoor"/);
			expect(failed.error?.description).toContain('Mallory @ 31/04/24 25:61:00');
			await control(sim, 'POST', '/faults', { kind: 'badline', count: 1 });
			const skipped = await getMany({ start: '2026-01-01T11:00:00Z', options: { onMalformed: 'skip' } });
			expect(skipped.error).toBeUndefined();
			expect(skipped.items.length).toBe(truthBetween('2026-01-01T11:00:00.000Z', truth.now).length);
			const hints = skipped.run.data.resultData.runData.FaceSpace[0].hints ?? [];
			expect(hints.map((h) => h.message)).toEqual(['1 malformed sighting line was skipped (Options > On Malformed Lines)']);
		});
	});

	describe('bad input is stopped before any request', () => {
		it.each([
			[{ start: '31/04/25' }, /Start: cannot read "31\/04\/25".*not a real date/],
			[{ start: '05/13/25' }, /Start: .*day first/],
			[{ end: 'tomorrow-ish' }, /End: cannot read "tomorrow-ish"/],
			[{ start: '2026-01-01T10:00:00Z', end: '2026-01-01T09:00:00Z' }, /End \(2026-01-01T09:00:00.000Z\) is before Start/],
			[{ camera: { __rl: true, mode: 'id', value: '  ' } }, /Camera: By ID needs a camera ID/],
		])('%j', async (params, message) => {
			sim.clearRequests();
			const { error, items } = await getMany(params);
			expect(error?.message).toMatch(message);
			expect(items).toHaveLength(0);
			expect(sim.requests()).toHaveLength(0);
		});

		it('names the item that failed', async () => {
			const { error } = await getMany({ start: '={{ $json.start }}' }, [{ start: '2026-01-01T10:00:00Z' }, { start: 'garbage' }]);
			expect((error as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
		});

		it('with Continue On Fail, turns a failing item into an error item and goes on', async () => {
			const { items, error } = await runAction(
				{ resource: 'sighting', operation: 'getAll', returnAll: false, limit: 2, start: '={{ $json.start }}' },
				credentials,
				[{ start: '2026-01-01T10:00:00Z' }, { start: 'garbage' }, { start: '2026-01-01T11:00:00Z' }],
				{ nodeExtra: { continueOnFail: true, onError: 'continueRegularOutput' } },
			);
			expect(error).toBeUndefined();
			expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 0, 1, 2, 2]);
			expect(items[2].json.error).toMatch(/Start: cannot read "garbage"/);
		});
	});

	describe('Get Present', () => {
		const present = (params: IDataObject = {}) => runAction({ resource: 'sighting', operation: 'getPresent', ...params }, credentials);

		it('gives one item per camera with who is there now', async () => {
			const { items } = await present();
			const snapshot = sim.scenario.presence(sim.now());
			expect(items.map((i) => i.json)).toEqual(
				Object.entries(snapshot).map(([camera, people]) => ({ camerasActive: true, camera, people, count: people.length })),
			);
		});

		it('filters by camera and person', async () => {
			const snapshot = sim.scenario.presence(sim.now());
			const [camera, people] = Object.entries(snapshot).find(([, p]) => p.length > 0) as [string, string[]];
			const one = await present({ camera: { __rl: true, mode: 'list', value: camera }, filters: { people: people[0].toUpperCase() } });
			expect(one.items.map((i) => i.json)).toEqual([{ camerasActive: true, camera, people: [people[0]], count: 1 }]);
			const unknown = await present({ camera: { __rl: true, mode: 'id', value: 'Basement' } });
			expect(unknown.items.map((i) => i.json)).toEqual([{ camerasActive: true, camera: 'Basement', people: [], count: 0 }]);
		});

		it('shows the stop signal as a clear state, not an error and not nothing', async () => {
			await control(sim, 'POST', '/faults', { kind: 'stop', count: 1 });
			const { items, error } = await present();
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json)).toEqual([{ camerasActive: false, message: expect.stringMatching(/^No cameras active/), camera: null, people: [], count: 0 }]);
		});
	});

	describe('Summarize', () => {
		it('gives each person first seen, last seen, cameras and count over a range', async () => {
			const { items } = await runAction({ resource: 'sighting', operation: 'summarize', start: '2026-01-01T06:00:00Z', end: '2026-01-01T12:00:00Z' }, credentials);
			const expected = truthBetween('2026-01-01T06:00:00.000Z', '2026-01-01T12:00:00.000Z');
			const people = new Set(expected.map((s) => s.person));
			expect(items).toHaveLength(people.size);
			for (const { json } of items) {
				const mine = expected.filter((s) => s.person === json.person);
				expect(json).toEqual({
					person: json.person,
					firstSeen: asIso(mine[0].at),
					lastSeen: asIso(mine[mine.length - 1].at),
					cameras: [...new Set(mine.map((s) => s.camera))],
					sightings: mine.length,
				});
			}
		});

		it('per day, cuts days in the workflow time zone', async () => {
			const { items } = await runAction(
				{ resource: 'sighting', operation: 'summarize', start: '2025-12-31T00:00:00', end: '2026-01-01T12:00:00', perDay: true },
				credentials,
				undefined,
				{ settings: { timezone: 'America/New_York' } },
			);
			const days = new Set(items.map((i) => i.json.day));
			expect(days).toEqual(new Set(['2025-12-31', '2026-01-01']));
			const total = items.reduce((n, i) => n + (i.json.sightings as number), 0);
			expect(total).toBe(truthBetween('2025-12-31T05:00:00.000Z', '2026-01-01T17:00:00.000Z').length);
		});
	});

	describe('errors from FaceSpace', () => {
		it.each([
			[{ kind: 'status', status: 401, count: 1 }, /The API key was rejected \(401\): check the FaceSpace credential/],
			[{ kind: 'status', status: 403, count: 1 }, /The API key was rejected \(403\)/],
			[{ kind: 'status', status: 404, count: 1 }, /No FaceSpace API at http:\/\/127\.0\.0\.1:\d+\/facespace\/recognition \(404\): check the Base URL/],
			[{ kind: 'html', status: 200, count: 1 }, /Expected JSON from FaceSpace, got text\/html from http/],
			[{ kind: 'malformed', count: 1 }, /FaceSpace sent malformed JSON from GET \/recognition/],
			[{ kind: 'badshape', count: 1 }, /unexpected answer from GET \/recognition: expected an object/],
		])('%j', async (fault, message) => {
			await control(sim, 'POST', '/faults', fault);
			const { error } = await runAction({ resource: 'sighting', operation: 'getPresent' }, credentials);
			expect(error?.message).toMatch(message);
			expect(JSON.stringify(error)).not.toContain('demo-key');
		});

		it('retries a 503 and answers once FaceSpace recovers', async () => {
			await control(sim, 'POST', '/faults', { kind: 'status', status: 503, count: 1, retryAfter: '0' });
			const { items, error } = await runAction({ resource: 'sighting', operation: 'getPresent' }, credentials);
			expect(error).toBeUndefined();
			expect(items.length).toBe(sim.scenario.cameras.length);
		});
	});

	describe('camera list', () => {
		it('lists the cameras FaceSpace reports, filtered as the user types', async () => {
			const all = await listSearch('searchCameras', credentials);
			expect(all.results.map((r) => r.value)).toEqual([...sim.scenario.cameras].sort());
			const some = await listSearch('searchCameras', credentials, 'door');
			expect(some.results).toEqual([{ name: 'FrontDoor', value: 'FrontDoor' }]);
		});

		it('falls back to the cameras in the last day of the log when none is active', async () => {
			await control(sim, 'POST', '/faults', { kind: 'stop', count: 1 });
			const { results } = await listSearch('searchCameras', credentials);
			expect(results.map((r) => r.value)).toEqual([...sim.scenario.cameras].sort());
		});
	});

	describe('metadata', () => {
		it('is loaded by n8n with its credential, icons, codex and tool flag', async () => {
			const loader = await loadPackage();
			const description = loader.nodeTypes.faceSpace.type.description as INodeTypeDescription;
			expect(description.usableAsTool).toBe(true);
			// n8n turns file: icons into URLs under the package's folder
			for (const icon of Object.values(description.iconUrl as Record<string, string>)) {
				expect(existsSync(join(PACKAGE_DIR, icon.replace('icons/n8n-nodes-facespace/', '')))).toBe(true);
			}
			expect(Object.keys(description.iconUrl as object)).toEqual(['light', 'dark']);
			expect(description.credentials).toEqual([{ name: 'faceSpaceApi', required: true }]);
			expect((description as { codex?: { categories?: string[] } }).codex?.categories).toContain('Analytics');
			expect(loader.credentialTypes.faceSpaceApi.type.displayName).toBe('FaceSpace API');
		});
	});
});
