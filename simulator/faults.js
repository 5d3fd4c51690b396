// @ts-check
'use strict';

// Fault injection: what can go wrong between a client and FaceSpace, on demand.

const KINDS = ['status', 'latency', 'hang', 'html', 'truncated', 'malformed', 'badshape', 'badline', 'reset', 'redirect', 'stop'];

/**
 * @typedef {{
 *   kind: string, path?: 'logs' | 'recognition', rate?: number, count?: number, durationMs?: number,
 *   status?: number, retryAfter?: string, location?: string, min?: number, max?: number, until?: number
 * }} Fault
 */

/**
 * Parse the CLI's compact form, comma separated: `KIND[=ARG][@RATE][*COUNT][/PATH]`.
 * A number as KIND is a status: `503@0.1`, `429=5*2` (Retry-After 5, next 2 requests).
 * `latency=20-40`, `hang*1`, `html@0.05`, `truncated*1`, `malformed*1`, `badshape*1`, `badline*1`,
 * `reset@0.1`, `redirect=http://127.0.0.1:9999*1`, `stop=30` (the stop signal for 30 s).
 * @param {string} text
 * @returns {Fault[]}
 */
function parseFaults(text) {
	if (!text.trim()) return [];
	return text.split(',').map((part) => {
		const m = /^([a-z]+|\d{3})(?:=([^@*/]+(?:\/\/[^@*/]+)?))?(?:@([\d.]+))?(?:\*(\d+))?(?:\/(logs|recognition))?$/.exec(part.trim());
		if (!m) throw new Error(`cannot read fault "${part}": use KIND[=ARG][@RATE][*COUNT][/PATH], e.g. 503@0.1 or latency=20-40`);
		const [, head, arg, rate, count, path] = m;
		/** @type {Fault} */
		const fault = /^\d{3}$/.test(head) ? { kind: 'status', status: Number(head) } : { kind: head };
		if (!KINDS.includes(fault.kind)) throw new Error(`unknown fault kind "${head}": one of ${KINDS.join(', ')} or a status code`);
		if (arg !== undefined) {
			if (fault.kind === 'status') fault.retryAfter = arg;
			else if (fault.kind === 'latency') {
				const [min, max] = arg.split('-').map(Number);
				fault.min = min;
				fault.max = max ?? min;
			} else if (fault.kind === 'redirect') fault.location = arg;
			else if (fault.kind === 'stop') fault.durationMs = Number(arg) * 1000;
			else if (fault.kind === 'html') fault.status = Number(arg);
		}
		if (rate !== undefined) fault.rate = Number(rate);
		if (count !== undefined) fault.count = Number(count);
		if (path !== undefined) fault.path = /** @type {'logs' | 'recognition'} */ (path);
		return validateFault(fault);
	});
}

/** @param {any} f @returns {Fault} */
function validateFault(f) {
	if (!f || typeof f !== 'object' || !KINDS.includes(f.kind)) throw new Error(`a fault needs a kind, one of ${KINDS.join(', ')}`);
	if (f.kind === 'status' && !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)) throw new Error('a status fault needs a status from 100 to 599');
	if (f.kind === 'redirect' && typeof f.location !== 'string') throw new Error('a redirect fault needs a location');
	if (f.rate !== undefined && !(f.rate >= 0 && f.rate <= 1)) throw new Error('a fault rate is between 0 and 1');
	return { ...f };
}

class FaultBox {
	/** @param {() => number} random */
	constructor(random) {
		this.random = random;
		/** @type {Fault[]} */
		this.faults = [];
	}

	add(/** @type {any} */ input) {
		for (const f of Array.isArray(input) ? input : [input]) {
			const fault = validateFault(f);
			if (fault.durationMs !== undefined) fault.until = Date.now() + fault.durationMs;
			if (fault.kind === 'stop' && fault.path === undefined) fault.path = 'recognition';
			if (fault.kind === 'badline' && fault.path === undefined) fault.path = 'logs';
			this.faults.push(fault);
		}
	}

	clear() {
		this.faults = [];
	}

	/**
	 * The faults that hit this request: total added latency, and at most one other fault.
	 * @param {string} route
	 */
	draw(route) {
		let latencyMs = 0;
		/** @type {Fault | undefined} */
		let hit;
		const now = Date.now();
		this.faults = this.faults.filter((f) => f.count !== 0 && (f.until === undefined || f.until > now));
		for (const f of this.faults) {
			if (f.path !== undefined && f.path !== route) continue;
			if (f.kind !== 'latency' && hit) continue;
			if (f.rate !== undefined && this.random() >= f.rate) continue;
			if (f.count !== undefined) f.count--;
			if (f.kind === 'latency') {
				const min = f.min ?? 0;
				const max = f.max ?? min;
				latencyMs += min + this.random() * (max - min);
			} else hit = f;
		}
		return { latencyMs, hit };
	}

	list() {
		return this.faults.map((f) => ({ ...f }));
	}
}

module.exports = { parseFaults, validateFault, FaultBox, KINDS };
