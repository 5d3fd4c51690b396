// Contract tests of the FaceSpace simulator over real loopback sockets.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { request } from 'undici';

import { control, get, SCENARIO_START, startSimulator, STOP_MESSAGE, type Simulator } from './harness/simulator';

const KEY = { 'x-api-key': 'demo-key' };
const SIGHTING = /^(.+) @ (\d{2}):(\d{2}):(\d{2}) (\d{2})\/(\d{2})\/(\d{2})$/;

/** A wire sighting string back to epoch ms, written independently of both simulator and nodes. */
function sightingMs(line: string): number {
	const m = SIGHTING.exec(line);
	if (!m) throw new Error(`not a sighting: ${line}`);
	const [, , hh, mi, ss, dd, mo, yy] = m;
	return Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss));
}

describe('simulator', () => {
	let sim: Simulator;
	let truth: { now: string; sightings: { camera: string; person: string; at: string }[]; intervals: { person: string; camera: string; begin: string; end: string }[] };

	beforeAll(async () => {
		sim = await startSimulator({ seed: 1 });
		truth = (await control(sim, 'GET', '/truth')).json;
	});
	afterAll(() => sim.close());
	afterEach(async () => {
		await control(sim, 'DELETE', '/faults');
	});

	const logs = async (query: Record<string, string> = {}) => {
		const res = await get(`${sim.baseUrl}/logs?${new URLSearchParams(query)}`, KEY);
		expect(res.status).toBe(200);
		return res.json() as Record<string, string[]>;
	};
	const all = (answer: Record<string, string[]>) => Object.entries(answer).flatMap(([camera, lines]) => lines.map((line) => ({ camera, line, at: sightingMs(line) })));
	const truthBetween = (from: number, to: number) => truth.sightings.filter((s) => Date.parse(s.at) >= from && Date.parse(s.at) <= to);

	describe('authentication', () => {
		it.each([
			['missing', {}, 'Missing API key'],
			['wrong', { 'x-api-key': 'nope' }, 'Invalid API key'],
		])('answers 401 with a JSON error when the key is %s', async (_, headers, message) => {
			for (const path of ['logs', 'recognition']) {
				const res = await get(`${sim.baseUrl}/${path}`, headers);
				expect(res.status).toBe(401);
				expect(res.headers['content-type']).toContain('application/json');
				expect(res.json()).toEqual({ error: message });
			}
		});

		it('lives under its path prefix: the API paths without it are 404', async () => {
			expect((await get(`${sim.origin}/logs`, KEY)).status).toBe(404);
			expect((await get(`${sim.origin}/recognition`, KEY)).status).toBe(404);
			expect((await get(`${sim.baseUrl}/recognition`, KEY)).status).toBe(200);
		});

		it('records every API request with its header names and whether the key matched, never the key', async () => {
			sim.clearRequests();
			await get(`${sim.baseUrl}/recognition`, KEY);
			await get(`${sim.baseUrl}/logs?camera_id=Lobby`, { 'x-api-key': 'wrong-key' });
			await get(`${sim.baseUrl}/logs`);
			const { json } = await control(sim, 'GET', '/requests');
			expect(json.map((r: { path: string; apiKey: string }) => [r.path, r.apiKey])).toEqual([
				['/facespace/recognition', 'valid'],
				['/facespace/logs', 'invalid'],
				['/facespace/logs', 'missing'],
			]);
			expect(json[0].headers).toContain('x-api-key');
			expect(json[1].query).toEqual({ camera_id: 'Lobby' });
			expect(JSON.stringify(json)).not.toContain('demo-key');
		});
	});

	describe('GET /logs', () => {
		it('with no times returns the complete log up to now, oldest first per camera', async () => {
			const answer = await logs();
			expect(Object.keys(answer)).toEqual(sim.scenario.cameras);
			const lines = all(answer);
			expect(lines.length).toBe(truth.sightings.length);
			expect(lines.length).toBeGreaterThan(1000);
			for (const list of Object.values(answer)) {
				const times = list.map(sightingMs);
				expect(times).toEqual([...times].sort((a, b) => a - b));
			}
			expect(Math.max(...lines.map((l) => l.at))).toBeLessThanOrEqual(Date.parse(SCENARIO_START));
		});

		it('writes sightings as "<person> @ HH:MM:SS DD/MM/YY", names with @, accents and other scripts included', async () => {
			const people = new Set(all(await logs()).map(({ line }) => (SIGHTING.exec(line) as RegExpExecArray)[1]));
			for (const name of ['Ali @ Home', 'dev@ops', "Zoë O'Neil", 'Jean-Luc Picard', '李小龙']) expect(people).toContain(name);
		});

		it('reads a date alone as start at 00:00:00 and as end through the whole day', async () => {
			const day = Date.UTC(2025, 11, 31);
			const got = all(await logs({ start_time: '31/12/25', end_time: '31/12/25' }));
			const expected = truthBetween(day, day + 86_400_000 - 1);
			expect(got.length).toBe(expected.length);
			expect(got.length).toBeGreaterThan(100);
			expect(Math.min(...got.map((s) => s.at))).toBeGreaterThanOrEqual(day);
			expect(Math.max(...got.map((s) => s.at))).toBeLessThan(day + 86_400_000);
		});

		it('reads HH:MM bounds as whole minutes, inclusive at both ends', async () => {
			const sample = truth.sightings[Math.floor(truth.sightings.length / 2)];
			const at = new Date(sample.at);
			const two = (n: number) => String(n).padStart(2, '0');
			const minute = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())} ${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${two(at.getUTCFullYear() % 100)}`;
			const got = all(await logs({ start_time: minute, end_time: minute }));
			const first = Math.floor(at.getTime() / 60_000) * 60_000;
			expect(got.length).toBe(truthBetween(first, first + 59_999).length);
			expect(got.map((s) => s.at)).toContain(at.getTime());
		});

		it('without an end returns everything from the start to the newest entry', async () => {
			const got = all(await logs({ start_time: '11:00 01/01/26' }));
			expect(got.length).toBe(truthBetween(Date.UTC(2026, 0, 1, 11), Date.parse(SCENARIO_START)).length);
		});

		it('filters by camera_id, and answers an unknown camera with {}', async () => {
			const answer = await logs({ camera_id: 'Lobby' });
			expect(Object.keys(answer)).toEqual(['Lobby']);
			expect(answer.Lobby.length).toBe(truth.sightings.filter((s) => s.camera === 'Lobby').length);
			expect(await logs({ camera_id: 'Nowhere' })).toEqual({});
		});

		it('rejects times that are not one of the two documented forms with a 400 JSON error', async () => {
			for (const bad of ['2026-01-01', '10:00:30 01/01/26', '31/04/25', '24:00 01/01/26']) {
				const res = await get(`${sim.baseUrl}/logs?start_time=${encodeURIComponent(bad)}`, KEY);
				expect(res.status).toBe(400);
				expect(res.json().error).toContain('start_time');
			}
		});
	});

	describe('GET /recognition', () => {
		it('lists every camera with the people whose presence interval contains now', async () => {
			const snapshot = (await get(`${sim.baseUrl}/recognition`, KEY)).json() as Record<string, string[]>;
			expect(Object.keys(snapshot)).toEqual(sim.scenario.cameras);
			const now = Date.parse(truth.now);
			for (const camera of sim.scenario.cameras) {
				const expected = truth.intervals.filter((iv) => iv.camera === camera && Date.parse(iv.begin) <= now && now < Date.parse(iv.end)).map((iv) => iv.person);
				expect([...snapshot[camera]].sort()).toEqual(expected.sort());
			}
		});

		it('follows the scenario clock when a test advances it', async () => {
			const before = (await control(sim, 'GET', '/state')).json.now;
			const after = (await control(sim, 'POST', '/clock', { advanceMs: 3_600_000 })).json.now;
			expect(Date.parse(after) - Date.parse(before)).toBe(3_600_000);
			const later = (await control(sim, 'GET', '/truth')).json;
			expect(later.sightings.length).toBeGreaterThan(truth.sightings.length);
			await control(sim, 'POST', '/clock', { advanceMs: -3_600_000 });
		});

		it('answers the stop signal while a stop fault lasts', async () => {
			await control(sim, 'POST', '/faults', { kind: 'stop', count: 2 });
			for (let i = 0; i < 2; i++) expect((await get(`${sim.baseUrl}/recognition`, KEY)).json()).toEqual({ stop: STOP_MESSAGE });
			expect(STOP_MESSAGE.startsWith('No cameras active')).toBe(true);
			expect((await get(`${sim.baseUrl}/recognition`, KEY)).json()).not.toHaveProperty('stop');
		});
	});

	describe('faults', () => {
		const recognition = () => get(`${sim.baseUrl}/recognition`, KEY);

		it.each([401, 403, 404, 500, 502, 503, 504])('answers status %i with a JSON error for the next N requests', async (status) => {
			await control(sim, 'POST', '/faults', { kind: 'status', status, count: 2 });
			for (let i = 0; i < 2; i++) {
				const res = await recognition();
				expect(res.status).toBe(status);
				expect(res.json()).toEqual({ error: `Simulated ${status}` });
			}
			expect((await recognition()).status).toBe(200);
		});

		it('sends Retry-After with a 429', async () => {
			await control(sim, 'POST', '/faults', { kind: 'status', status: 429, retryAfter: '7', count: 1 });
			const res = await recognition();
			expect(res.status).toBe(429);
			expect(res.headers['retry-after']).toBe('7');
		});

		it('serves an HTML error page like a gateway', async () => {
			await control(sim, 'POST', '/faults', { kind: 'html', count: 1 });
			const res = await recognition();
			expect(res.status).toBe(502);
			expect(res.headers['content-type']).toContain('text/html');
			expect(res.text).toContain('<html>');
		});

		it('sends malformed JSON, a wrong shape, and a malformed sighting line', async () => {
			await control(sim, 'POST', '/faults', [{ kind: 'malformed', count: 1 }, { kind: 'badshape', count: 1 }, { kind: 'badline', count: 1 }]);
			const malformed = await recognition();
			expect(() => malformed.json()).toThrow();
			expect((await recognition()).json()).toEqual(['not', 'an', 'object']);
			const answer = await logs({ camera_id: 'FrontDoor' });
			expect(answer.FrontDoor.at(-1)).toBe('Mallory @ 31/04/24 25:61:00');
		});

		it('cuts a body short, resets a connection, and hangs', async () => {
			await control(sim, 'POST', '/faults', { kind: 'truncated', count: 1 });
			await expect(recognition()).rejects.toThrow();
			await control(sim, 'POST', '/faults', { kind: 'reset', count: 1 });
			await expect(recognition()).rejects.toThrow();
			await control(sim, 'POST', '/faults', { kind: 'hang', count: 1 });
			await expect(request(`${sim.baseUrl}/recognition`, { headers: KEY, signal: AbortSignal.timeout(300) })).rejects.toThrow();
			expect((await recognition()).status).toBe(200);
		});

		it('redirects to another origin, keeping path and query', async () => {
			await control(sim, 'POST', '/faults', { kind: 'redirect', location: 'http://127.0.0.1:9/', count: 1 });
			const res = await get(`${sim.baseUrl}/logs?camera_id=Lobby`, KEY);
			expect(res.status).toBe(302);
			expect(res.headers.location).toBe('http://127.0.0.1:9/facespace/logs?camera_id=Lobby');
		});

		it('adds latency', async () => {
			await control(sim, 'POST', '/faults', { kind: 'latency', min: 150, max: 150, count: 1 });
			const started = Date.now();
			expect((await recognition()).status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(145);
		});

		it('hits a share of requests at a rate, repeatably from the seed', async () => {
			await control(sim, 'POST', '/faults', { kind: 'status', status: 503, rate: 0.3, path: 'recognition' });
			let failed = 0;
			for (let i = 0; i < 200; i++) if ((await recognition()).status === 503) failed++;
			expect(failed).toBeGreaterThan(30);
			expect(failed).toBeLessThan(90);
		});

		it('reads the CLI form of faults and rejects unknown ones', () => {
			const { parseFaults } = require('../simulator/faults');
			expect(parseFaults('503@0.1,429=5*2,latency=20-40,redirect=http://127.0.0.1:9999*1,stop=30,hang*1/logs')).toEqual([
				{ kind: 'status', status: 503, rate: 0.1 },
				{ kind: 'status', status: 429, retryAfter: '5', count: 2 },
				{ kind: 'latency', min: 20, max: 40 },
				{ kind: 'redirect', location: 'http://127.0.0.1:9999', count: 1 },
				{ kind: 'stop', durationMs: 30_000 },
				{ kind: 'hang', count: 1, path: 'logs' },
			]);
			expect(() => parseFaults('teapot')).toThrow(/unknown fault kind/);
		});
	});

	describe('determinism', () => {
		it('gives the same history for the same seed and a different one for another seed', async () => {
			const a = await startSimulator({ seed: 7 });
			const b = await startSimulator({ seed: 7 });
			const c = await startSimulator({ seed: 8 });
			try {
				const body = async (s: Simulator) => (await get(`${s.baseUrl}/logs?start_time=31/12/25`, KEY)).text;
				expect(await body(a)).toBe(await body(b));
				expect(await body(a)).not.toBe(await body(c));
			} finally {
				await Promise.all([a.close(), b.close(), c.close()]);
			}
		});
	});

	describe('command line', () => {
		it('prints the base URL when ready, serves it, and exits cleanly on SIGTERM', async () => {
			const child = spawn(process.execPath, [join(__dirname, '..', 'simulator', 'cli.js'), '--port', '0', '--seed', '3', '--api-key', 'cli-key'], { stdio: ['ignore', 'pipe', 'pipe'] });
			const line = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString()));
				child.once('exit', (code) => reject(new Error(`exited ${code}`)));
			});
			const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+\/facespace)/.exec(line)?.[1];
			expect(baseUrl).toBeDefined();
			expect((await get(`${baseUrl}/recognition`, { 'x-api-key': 'cli-key' })).status).toBe(200);
			const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		});
	});
});
