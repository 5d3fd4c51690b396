// The one transport, with both senders, against the simulator's faults over loopback.
import { FaceSpaceClient, type FaceSpaceApiError, type SenderName } from '../nodes/FaceSpace/transport';
import { nodeContext } from './harness/n8n';
import { control, startSimulator, type Simulator } from './harness/simulator';

const SECRET = 'sk-live-7f3a9c1e5b';
const FAST = { retries: 3, baseMs: 10, capMs: 20, maxRetryAfterMs: 2000 };

describe.each<SenderName>(['fetch', 'n8n'])('transport with the %s sender', (sender) => {
	let sim: Simulator;
	let other: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: SECRET });
		other = await startSimulator({ apiKey: SECRET });
	});
	afterAll(async () => {
		await sim.close();
		await other.close();
	});
	beforeEach(async () => {
		await control(sim, 'DELETE', '/faults');
		sim.clearRequests();
		other.clearRequests();
	});

	const client = async (options: { timeoutMs?: number; retry?: typeof FAST } = {}, baseUrl = sim.baseUrl) =>
		FaceSpaceClient.create(await nodeContext({ apiKey: SECRET, baseUrl }), { sender, retry: FAST, ...options });
	const failure = async (promise: Promise<unknown>) => {
		try {
			await promise;
		} catch (error) {
			const e = error as FaceSpaceApiError;
			expect(`${e.message} ${e.description} ${JSON.stringify(e)}`).not.toContain(SECRET);
			return e;
		}
		throw new Error('expected the request to fail');
	};

	it('GETs {baseUrl}/{endpoint} with the key, a trailing slash on the Base URL tolerated', async () => {
		const answer = await (await client({}, `${sim.baseUrl}/`)).get('logs', { camera_id: 'Lobby', start_time: '11:00 01/01/26' });
		expect(Object.keys(answer as object)).toEqual(['Lobby']);
		expect(sim.requests()).toEqual([expect.objectContaining({ method: 'GET', path: '/facespace/logs', query: { camera_id: 'Lobby', start_time: '11:00 01/01/26' }, apiKey: 'valid' })]);
	});

	it.each([401, 403])('reads %i as a rejected key, without retrying', async (status) => {
		await control(sim, 'POST', '/faults', { kind: 'status', status, count: 5 });
		const e = await failure((await client()).get('recognition'));
		expect(e.kind).toBe('auth');
		expect(e.message).toBe(`The API key was rejected (${status}): check the FaceSpace credential`);
		expect(e.description).toBe(`FaceSpace said: Simulated ${status}`);
		expect(sim.requests()).toHaveLength(1);
	});

	it('reads 404 as a wrong Base URL', async () => {
		const e = await failure((await client({}, `${sim.origin}/wrong`)).get('recognition'));
		expect(e.kind).toBe('notFound');
		expect(e.message).toBe(`No FaceSpace API at ${sim.origin}/wrong/recognition (404): check the Base URL of the FaceSpace credential`);
	});

	it.each([429, 500, 502, 503, 504])('retries %i and succeeds when FaceSpace recovers', async (status) => {
		await control(sim, 'POST', '/faults', { kind: 'status', status, count: 2 });
		expect(await (await client()).get('recognition')).toEqual(expect.any(Object));
		expect(sim.requests()).toHaveLength(3);
	});

	it('gives up after the retries with a clear error', async () => {
		await control(sim, 'POST', '/faults', { kind: 'status', status: 503, count: 10 });
		const e = await failure((await client()).get('recognition'));
		expect(e.kind).toBe('transient');
		expect(e.message).toBe('FaceSpace failed with 503 after 4 attempts');
		expect(e.description).toMatch(/^FaceSpace said: Simulated 503\./);
		expect(sim.requests()).toHaveLength(4);
	});

	it('honours Retry-After, bounded by the maximum', async () => {
		await control(sim, 'POST', '/faults', { kind: 'status', status: 429, retryAfter: '1', count: 1 });
		const started = Date.now();
		await (await client()).get('recognition');
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		// an hour is cut to the 2 s maximum: without the bound this test would time out
		await control(sim, 'POST', '/faults', { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 3_600_000).toUTCString(), count: 1 });
		await (await client()).get('recognition');
		expect(sim.requests()).toHaveLength(4);
	});

	it('explains an HTML page from a gateway', async () => {
		await control(sim, 'POST', '/faults', { kind: 'html', status: 200, count: 1 });
		const e = await failure((await client()).get('recognition'));
		expect(e.kind).toBe('badAnswer');
		expect(e.message).toBe(`Expected JSON from FaceSpace, got text/html from ${sim.baseUrl}/recognition`);
	});

	it('explains a 502 HTML page once the retries are spent', async () => {
		await control(sim, 'POST', '/faults', { kind: 'html', count: 10 });
		const e = await failure((await client()).get('recognition'));
		expect(e.message).toBe('FaceSpace failed with 502 after 4 attempts');
		expect(e.description).toMatch(/^FaceSpace answered 502 with text\/html\./);
	});

	it('names the endpoint of malformed JSON', async () => {
		await control(sim, 'POST', '/faults', { kind: 'malformed', count: 1 });
		const e = await failure((await client()).get('logs'));
		expect(e.message).toBe('FaceSpace sent malformed JSON from GET /logs');
	});

	it('cuts a hang with the timeout, retrying it', async () => {
		await control(sim, 'POST', '/faults', { kind: 'hang', count: 10 });
		const e = await failure((await client({ timeoutMs: 200, retry: { ...FAST, retries: 1 } })).get('recognition'));
		expect(e.kind).toBe('transient');
		expect(e.message).toBe('No answer from FaceSpace within 0.2 s after 2 attempts');
		expect(sim.requests()).toHaveLength(2);
	});

	it('retries a reset connection and a body cut short', async () => {
		await control(sim, 'POST', '/faults', [{ kind: 'reset', count: 1 }]);
		expect(await (await client()).get('recognition')).toEqual(expect.any(Object));
		const dead = await failure((await client({}, 'http://127.0.0.1:1/facespace')).get('recognition'));
		expect(dead.message).toBe('Could not reach FaceSpace after 4 attempts');
		expect(dead.description).toContain('http://127.0.0.1:1/facespace/recognition');
	});

	it('stops at once when aborted', async () => {
		await control(sim, 'POST', '/faults', { kind: 'hang', count: 1 });
		const abort = new AbortController();
		const pending = (await client({ timeoutMs: 30_000 })).get('recognition', {}, abort.signal);
		setTimeout(() => abort.abort(), 50);
		const e = await failure(pending);
		expect(e.kind).toBe('aborted');
	});

	it('follows a redirect within the Base URL origin, with the key', async () => {
		await control(sim, 'POST', '/faults', { kind: 'redirect', location: `${sim.origin}/`, count: 1 });
		await (await client()).get('recognition');
		expect(sim.requests().map((r: any) => r.apiKey)).toEqual(['valid', 'valid']);
	});

	it('never carries the key across a redirect to another origin', async () => {
		await control(sim, 'POST', '/faults', { kind: 'redirect', location: `${other.origin}/`, count: 1 });
		const e = await failure((await client()).get('recognition'));
		expect(e.kind).toBe('redirect');
		expect(e.message).toBe(`FaceSpace at ${sim.origin} redirected to another origin, ${other.origin}; the API key is only sent to the Base URL's origin`);
		expect(other.requests()).toEqual([]);
	});

	if (sender === 'fetch') {
		it('keeps one connection alive across requests', async () => {
			const c = await client();
			await c.get('recognition');
			const before = sim.connections();
			for (let i = 0; i < 20; i++) await c.get('recognition');
			expect(sim.connections()).toBe(before);
		});
	}
});

describe('the credential Base URL', () => {
	it.each(['', 'visionapi.automa.one/facespace', 'ftp://example.com/facespace'])('refuses %j before any request', async (baseUrl) => {
		await expect(FaceSpaceClient.create(await nodeContext({ apiKey: SECRET, baseUrl }), { sender: 'fetch' })).rejects.toThrow(/is not an http\(s\) URL/);
	});
});
