// @ts-check
'use strict';

// The FaceSpace API over HTTP, as ../shared/FACESPACE_API.md describes it, plus a control API
// under /__simulator for tests: clock, faults, ground truth and a record of requests.

const http = require('node:http');
const { Scenario, prng, MINUTE, DAY } = require('./scenario');
const { FaultBox, parseFaults } = require('./faults');

const CONTROL = '/__simulator';
const STOP_MESSAGE = 'No cameras active at the moment. Start a camera to receive recognitions.';

/** @param {number} n */
const two = (n) => String(n).padStart(2, '0');

/** `HH:MM:SS DD/MM/YY`, UTC, as the service writes sightings. */
function wireTimestamp(/** @type {number} */ ms) {
	const d = new Date(ms);
	return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)}`;
}

/**
 * A query time: `HH:MM DD/MM/YY` or `DD/MM/YY`, UTC, years 20YY.
 * Returns the first and last millisecond the value covers (a minute, or a whole day).
 * @param {string} text
 */
function readQueryTime(text) {
	const m = /^(?:(\d{2}):(\d{2}) )?(\d{2})\/(\d{2})\/(\d{2})$/.exec(text);
	if (!m) return undefined;
	const [hh, mm, dd, mo, yy] = [m[1], m[2], m[3], m[4], m[5]].map((v) => (v === undefined ? undefined : Number(v)));
	const year = 2000 + /** @type {number} */ (yy);
	const day = Date.UTC(year, /** @type {number} */ (mo) - 1, dd);
	const back = new Date(day);
	if (back.getUTCDate() !== dd || back.getUTCMonth() !== /** @type {number} */ (mo) - 1) return undefined;
	if (hh === undefined) return { first: day, last: day + DAY - 1 };
	if (hh > 23 || /** @type {number} */ (mm) > 59) return undefined;
	const first = day + hh * 60 * MINUTE + /** @type {number} */ (mm) * MINUTE;
	return { first, last: first + MINUTE - 1 };
}

/** @param {number | undefined} seconds */
const ms = (seconds) => (seconds === undefined ? undefined : seconds * 1000);

/** @param {string | undefined} address */
const isLoopback = (address) => !!address && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));

/**
 * @param {{ port?: number, host?: string, apiKey?: string, prefix?: string, seed?: number, cameras?: number,
 *   people?: number, historyDays?: number, speed?: number, start?: number | string, resightSeconds?: number,
 *   minStaySeconds?: number, maxStaySeconds?: number, minGapSeconds?: number, maxGapSeconds?: number,
 *   faults?: string | object[] }} [options]
 */
async function startSimulator(options = {}) {
	const apiKey = options.apiKey ?? 'demo-key';
	const prefix = (options.prefix ?? '/facespace').replace(/\/+$/, '');
	const startAt = options.start === undefined ? Date.now() : typeof options.start === 'number' ? options.start : Date.parse(options.start);
	if (!Number.isFinite(startAt)) throw new Error(`cannot read start time ${options.start}`);
	const scenario = new Scenario({
		seed: options.seed,
		cameras: options.cameras,
		people: options.people,
		start: startAt,
		historyDays: options.historyDays,
		resightMs: ms(options.resightSeconds),
		minStayMs: ms(options.minStaySeconds),
		maxStayMs: ms(options.maxStaySeconds),
		minGapMs: ms(options.minGapSeconds),
		maxGapMs: ms(options.maxGapSeconds),
	});
	const faults = new FaultBox(prng((options.seed ?? 1) + 17));
	if (typeof options.faults === 'string') faults.add(parseFaults(options.faults));
	else if (options.faults) faults.add(options.faults);

	// The scenario clock: real time times `speed`, plus whatever tests advance by hand.
	const clock = { origin: startAt, realOrigin: Date.now(), speed: options.speed ?? 1 };
	const now = () => Math.floor(clock.origin + (Date.now() - clock.realOrigin) * clock.speed);
	const rebase = () => {
		clock.origin = now();
		clock.realOrigin = Date.now();
	};

	/** @type {object[]} */
	let requests = [];
	let connections = 0;
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	/** @param {http.ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
	const sendJson = (res, status, body, headers = {}) => {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
		res.end(text);
	};

	/** @param {URL} url @param {http.ServerResponse} res */
	const logs = (url, res, badline = false) => {
		const q = url.searchParams;
		const from = q.get('start_time');
		const to = q.get('end_time');
		const start = from === null ? undefined : readQueryTime(from);
		const end = to === null ? undefined : readQueryTime(to);
		if (from !== null && !start) return sendJson(res, 400, { error: `start_time "${from}" is not HH:MM DD/MM/YY or DD/MM/YY` });
		if (to !== null && !end) return sendJson(res, 400, { error: `end_time "${to}" is not HH:MM DD/MM/YY or DD/MM/YY` });
		const t = now();
		scenario.sightTo(t);
		const lo = start ? start.first : -Infinity;
		const hi = Math.min(end ? end.last : t, t);
		const camera = q.get('camera_id');
		if (camera !== null && !scenario.cameras.includes(camera)) return sendJson(res, 200, {});
		/** @type {Record<string, string[]>} */
		const body = {};
		for (const c of camera === null ? scenario.cameras : [camera]) {
			body[c] = scenario.sightingsBetween(c, lo, hi).map((s) => `${s.person} @ ${wireTimestamp(s.at)}`);
		}
		if (badline) body[scenario.cameras[0]].push('Mallory @ 31/04/24 25:61:00');
		sendJson(res, 200, body);
	};

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {URL} url */
	const control = async (req, res, url) => {
		if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'the control API answers loopback only' });
		const body = await readBody(req);
		const route = `${req.method} ${url.pathname.slice(CONTROL.length)}`;
		const iso = (/** @type {number} */ ms) => new Date(ms).toISOString();
		switch (route) {
			case 'GET /state':
				return sendJson(res, 200, { now: iso(now()), speed: clock.speed, prefix, cameras: scenario.cameras, people: scenario.people, connections, requests: requests.length });
			case 'POST /clock': {
				if (typeof body.speed === 'number') {
					rebase();
					clock.speed = body.speed;
				}
				if (typeof body.advanceMs === 'number') clock.origin += body.advanceMs;
				return sendJson(res, 200, { now: iso(now()), speed: clock.speed });
			}
			case 'GET /faults':
				return sendJson(res, 200, faults.list());
			case 'POST /faults':
				try {
					faults.add(body);
				} catch (e) {
					return sendJson(res, 400, { error: /** @type {Error} */ (e).message });
				}
				return sendJson(res, 200, faults.list());
			case 'DELETE /faults':
				faults.clear();
				return sendJson(res, 200, []);
			case 'GET /requests':
				return sendJson(res, 200, requests);
			case 'DELETE /requests':
				requests = [];
				return sendJson(res, 200, []);
			case 'GET /truth': {
				const t = now();
				const from = url.searchParams.has('from') ? Date.parse(/** @type {string} */ (url.searchParams.get('from'))) : scenario.historyStart;
				const to = url.searchParams.has('to') ? Date.parse(/** @type {string} */ (url.searchParams.get('to'))) : t;
				scenario.sightTo(t);
				const intervals = scenario.intervalsBetween(from, to, t).map((iv) => ({ ...iv, begin: iso(iv.begin), end: iso(iv.end) }));
				const sightings = scenario.cameras
					.flatMap((c) => scenario.sightingsBetween(c, from, Math.min(to, t)))
					.sort((a, b) => a.at - b.at)
					.map((s) => ({ camera: s.camera, person: s.person, at: iso(s.at) }));
				return sendJson(res, 200, { now: iso(t), intervals, sightings });
			}
			default:
				return sendJson(res, 404, { error: `no control route ${route}` });
		}
	};

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	const handle = async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://simulator');
		if (url.pathname.startsWith(CONTROL + '/')) return control(req, res, url);

		const given = req.headers['x-api-key'];
		const keyState = given === undefined ? 'missing' : given === apiKey ? 'valid' : 'invalid';
		requests.push({
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: Object.keys(req.headers).sort(),
			apiKey: keyState,
			at: new Date().toISOString(),
		});
		const route = url.pathname === `${prefix}/logs` ? 'logs' : url.pathname === `${prefix}/recognition` ? 'recognition' : undefined;
		const { latencyMs, hit } = faults.draw(route ?? '');
		if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
		if (hit) {
			switch (hit.kind) {
				case 'status':
					return sendJson(res, /** @type {number} */ (hit.status), { error: `Simulated ${hit.status}` }, hit.retryAfter ? { 'retry-after': hit.retryAfter } : {});
				case 'hang':
					return; // the socket is closed by the client's timeout or by close()
				case 'html': {
					const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
					res.writeHead(hit.status ?? 502, { 'content-type': 'text/html; charset=utf-8' });
					return res.end(page);
				}
				case 'truncated':
					res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
					res.write('{"FrontDoor": ["Alice Martin @ 10:0');
					return setTimeout(() => res.destroy(), 5);
				case 'malformed':
					res.writeHead(200, { 'content-type': 'application/json' });
					return res.end('{"FrontDoor": ["Alice Martin @ 10:00:00 01/01/26",');
				case 'badshape':
					return sendJson(res, 200, ['not', 'an', 'object']);
				case 'reset':
					return req.socket.destroy();
				case 'redirect': {
					const target = new URL(/** @type {string} */ (hit.location));
					if (target.pathname === '/') {
						target.pathname = url.pathname;
						target.search = url.search;
					}
					res.writeHead(302, { location: target.toString(), 'content-length': '0' });
					return res.end();
				}
				default:
					break; // stop and badline shape the answer below
			}
		}
		if (!route) return sendJson(res, 404, { error: 'Not found' });
		if (req.method !== 'GET') return sendJson(res, 405, { error: `Method ${req.method} not allowed` });
		if (keyState !== 'valid') return sendJson(res, 401, { error: keyState === 'missing' ? 'Missing API key' : 'Invalid API key' });
		if (route === 'logs') return logs(url, res, hit?.kind === 'badline');
		if (hit?.kind === 'stop') return sendJson(res, 200, { stop: STOP_MESSAGE });
		return sendJson(res, 200, scenario.presence(now()));
	};

	const server = http.createServer((req, res) => {
		handle(req, res).catch((e) => {
			if (!res.headersSent) sendJson(res, 500, { error: `simulator failure: ${e.message}` });
		});
	});
	server.on('connection', (socket) => {
		connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const origin = `http://${host}:${address.port}`;

	return {
		origin,
		baseUrl: origin + prefix,
		port: address.port,
		apiKey,
		scenario,
		now,
		/** Move the scenario clock forward without waiting. */
		advance: (/** @type {number} */ ms) => {
			clock.origin += ms;
		},
		setSpeed: (/** @type {number} */ speed) => {
			rebase();
			clock.speed = speed;
		},
		faults,
		requests: () => requests,
		clearRequests: () => {
			requests = [];
		},
		connections: () => connections,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				for (const s of sockets) s.destroy();
			}),
	};
}

/** @param {http.IncomingMessage} req @returns {Promise<any>} */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text) return {};
	try {
		return JSON.parse(text);
	} catch {
		return {};
	}
}

module.exports = { startSimulator, wireTimestamp, readQueryTime, STOP_MESSAGE, CONTROL };
