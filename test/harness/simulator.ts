// The simulator (plain JavaScript, shared with nothing in the nodes) started on a free loopback port.
import { request } from 'undici';

const simulator = require('../../simulator') as typeof import('../../simulator/server');

export type Simulator = Awaited<ReturnType<typeof simulator.startSimulator>>;
export type SimulatorOptions = Parameters<typeof simulator.startSimulator>[0];

/** A fixed scenario start so that histories are the same on every run. */
export const SCENARIO_START = '2026-01-01T12:00:00.000Z';

export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	return simulator.startSimulator({ port: 0, start: SCENARIO_START, speed: 0, ...options });
}

export const { wireTimestamp, STOP_MESSAGE } = simulator;

/** GET a path of the simulator with undici, returning status, headers and body text. */
export async function get(url: string, headers: Record<string, string> = {}) {
	const res = await request(url, { headers });
	const text = await res.body.text();
	return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

export async function control(sim: Simulator, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
	const res = await request(`${sim.origin}/__simulator${path}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
	});
	return { status: res.statusCode, json: (await res.body.json()) as any };
}
