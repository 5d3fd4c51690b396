// The FaceSpace API credential, tested the way n8n's credential tester runs it.
import { credentialType, testCredential } from './harness/n8n';
import { control, startSimulator, type Simulator } from './harness/simulator';

describe('FaceSpace API credential', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ apiKey: 'good-key' });
	});
	afterAll(() => sim.close());
	beforeEach(async () => {
		await control(sim, 'DELETE', '/faults');
		sim.clearRequests();
	});

	it('has a password API key, the service default Base URL and header authentication', async () => {
		const type = await credentialType('faceSpaceApi');
		const key = type.properties.find((p) => p.name === 'apiKey');
		const base = type.properties.find((p) => p.name === 'baseUrl');
		expect(key?.typeOptions?.password).toBe(true);
		expect(key?.required).toBe(true);
		expect(base?.default).toBe('https://visionapi.automa.one/facespace');
		expect(type.authenticate).toEqual({ type: 'generic', properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } } });
		expect(type.documentationUrl).toMatch(/^https:\/\//);
	});

	it('succeeds for a good key, sending it as x-api-key to GET {baseUrl}/recognition', async () => {
		expect(await testCredential({ apiKey: 'good-key', baseUrl: sim.baseUrl })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests()).toEqual([expect.objectContaining({ path: '/facespace/recognition', apiKey: 'valid' })]);
	});

	it('tolerates a trailing slash on the Base URL', async () => {
		expect((await testCredential({ apiKey: 'good-key', baseUrl: `${sim.baseUrl}/` })).status).toBe('OK');
		expect(sim.requests().map((r: any) => r.path)).toEqual(['/facespace/recognition']);
	});

	it('counts the stop signal as success: the key works, no camera is connected', async () => {
		await control(sim, 'POST', '/faults', { kind: 'stop', count: 1 });
		expect((await testCredential({ apiKey: 'good-key', baseUrl: sim.baseUrl })).status).toBe('OK');
	});

	// n8n 2.0's tester reads rules from error.cause, which its NodeApiError leaves undefined, so it
	// shows n8n's own text for the status; the credential's rules take over where cause is kept
	const REJECTED = /The API key was rejected \(40[13]\)|Authorization failed - please check your credentials/;

	it('reads a wrong key as a rejected key', async () => {
		expect(await testCredential({ apiKey: 'bad-key', baseUrl: sim.baseUrl })).toEqual({ status: 'Error', message: expect.stringMatching(REJECTED) });
		await control(sim, 'POST', '/faults', { kind: 'status', status: 403, count: 1 });
		expect(await testCredential({ apiKey: 'good-key', baseUrl: sim.baseUrl })).toEqual({ status: 'Error', message: expect.stringMatching(/rejected \(403\)|Forbidden|permission/i) });
	});

	it('fails for a Base URL without the FaceSpace API', async () => {
		const result = await testCredential({ apiKey: 'good-key', baseUrl: sim.origin });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/No FaceSpace API at this Base URL \(404\)|could not be found/);
	});
});
