// @ts-check
'use strict';

// The simulated world: who is on which camera, when, and the sightings that writes.
// Deterministic from a seed; it shares no code with the nodes on purpose.

const CAMERAS = ['FrontDoor', 'Lobby', 'Warehouse', 'Parking', 'Kitchen', 'Roof', 'Lab', 'Garage'];
const PEOPLE = [
	'Alice Martin',
	'Bob',
	"Zoë O'Neil",
	'Jean-Luc Picard',
	'dev@ops',
	'Ali @ Home',
	'李小龙',
	'José Álvarez',
	'Charlie',
	'Dana Scully',
	'Émile Zola',
	'Ναταλία Παπαδοπούλου',
];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** @param {number} seed */
function prng(seed) {
	// mulberry32: small, fast and good enough to make a scenario repeatable
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** @param {number} n @param {string[]} names @param {string} prefix */
function pick(n, names, prefix) {
	const out = [];
	for (let i = 0; i < n; i++) out.push(i < names.length ? names[i] : `${prefix} ${i + 1}`);
	return out;
}

/**
 * @typedef {{ person: string, camera: string, begin: number, end: number }} Interval
 * @typedef {{ person: string, camera: string, at: number }} SimSighting
 */

/**
 * Each person alternates between an absence and a stay on one camera.
 * Stays last 20 s to 15 min, absences 10 s to 45 min (whole seconds), so a day holds many visits.
 * A stay writes a sighting on arrival and again every `resightMs` while the person stays.
 */
class Scenario {
	/**
	 * @param {{ seed?: number, cameras?: number, people?: number, start: number, historyDays?: number,
	 *   resightMs?: number, minStayMs?: number, maxStayMs?: number, minGapMs?: number, maxGapMs?: number }} options
	 */
	constructor(options) {
		this.seed = options.seed ?? 1;
		this.cameras = pick(options.cameras ?? 4, CAMERAS, 'Camera');
		this.people = pick(options.people ?? 12, PEOPLE, 'Person');
		this.historyStart = Math.floor(options.start / MINUTE) * MINUTE - (options.historyDays ?? 3) * DAY;
		this.resightMs = options.resightMs ?? MINUTE;
		this.stay = [options.minStayMs ?? 20 * SECOND, options.maxStayMs ?? 15 * MINUTE];
		this.gap = [options.minGapMs ?? 10 * SECOND, options.maxGapMs ?? 45 * MINUTE];
		/** @type {Interval[][]} one list per person, in time order */
		this.intervals = this.people.map(() => []);
		this.randoms = this.people.map((_, i) => prng(this.seed * 1000003 + i * 7919));
		/** @type {number[]} where each person's generated timeline ends */
		this.generatedUntil = this.people.map(() => this.historyStart);
		/** @type {Map<string, SimSighting[]>} camera -> sightings, oldest first */
		this.sightings = new Map(this.cameras.map((c) => [c, []]));
		this.sightedUntil = this.historyStart - 1;
		/** @type {number[]} per person, the first interval not yet fully sighted */
		this.sightCursor = this.people.map(() => 0);
	}

	/** @param {() => number} random @param {number[]} range */
	static between(random, range) {
		return range[0] + Math.floor((random() * (range[1] - range[0])) / SECOND) * SECOND;
	}

	/** Generate every person's timeline up to `until` (and one interval past it). */
	extendTo(/** @type {number} */ until) {
		for (let p = 0; p < this.people.length; p++) {
			const random = this.randoms[p];
			while (this.generatedUntil[p] <= until) {
				const begin = this.generatedUntil[p] + Scenario.between(random, this.gap);
				const end = begin + Scenario.between(random, this.stay);
				const camera = this.cameras[Math.floor(random() * this.cameras.length)];
				this.intervals[p].push({ person: this.people[p], camera, begin, end });
				this.generatedUntil[p] = end;
			}
		}
	}

	/** Write the sightings of every interval up to `now`, oldest first per camera. */
	sightTo(/** @type {number} */ now) {
		if (now <= this.sightedUntil) return;
		this.extendTo(now);
		/** @type {SimSighting[]} */
		const fresh = [];
		for (let p = 0; p < this.intervals.length; p++) {
			const list = this.intervals[p];
			for (let i = this.sightCursor[p]; i < list.length && list[i].begin <= now; i++) {
				const iv = list[i];
				for (let at = iv.begin; at < iv.end && at <= now; at += this.resightMs) {
					if (at > this.sightedUntil) fresh.push({ person: iv.person, camera: iv.camera, at });
				}
				if (iv.end <= now) this.sightCursor[p] = i + 1;
			}
		}
		fresh.sort((a, b) => a.at - b.at || (a.person < b.person ? -1 : 1));
		for (const s of fresh) /** @type {SimSighting[]} */ (this.sightings.get(s.camera)).push(s);
		this.sightedUntil = now;
	}

	/** Who is on each camera at `now`, in order of arrival. */
	presence(/** @type {number} */ now) {
		this.extendTo(now);
		/** @type {Record<string, {person: string, begin: number}[]>} */
		const here = Object.fromEntries(this.cameras.map((c) => [c, []]));
		for (const list of this.intervals) {
			for (let i = list.length - 1; i >= 0 && list[i].end > now; i--) {
				const iv = list[i];
				if (iv.begin <= now && now < iv.end) here[iv.camera].push({ person: iv.person, begin: iv.begin });
			}
		}
		/** @type {Record<string, string[]>} */
		const snapshot = {};
		for (const c of this.cameras) snapshot[c] = here[c].sort((a, b) => a.begin - b.begin).map((x) => x.person);
		return snapshot;
	}

	/** Sightings of one camera between two instants (inclusive), oldest first. */
	sightingsBetween(/** @type {string} */ camera, /** @type {number} */ from, /** @type {number} */ to) {
		const list = this.sightings.get(camera) ?? [];
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (list[mid].at < from) lo = mid + 1;
			else hi = mid;
		}
		const out = [];
		for (let i = lo; i < list.length && list[i].at <= to; i++) out.push(list[i]);
		return out;
	}

	/** Ground truth: presence intervals overlapping [from, to], clipped to what has begun by `now`. */
	intervalsBetween(/** @type {number} */ from, /** @type {number} */ to, /** @type {number} */ now) {
		this.extendTo(now);
		const out = [];
		for (const list of this.intervals) {
			for (const iv of list) {
				if (iv.begin <= Math.min(to, now) && iv.end >= from) {
					out.push({ ...iv, ongoing: iv.end > now });
				}
			}
		}
		return out.sort((a, b) => a.begin - b.begin);
	}
}

module.exports = { Scenario, prng, SECOND, MINUTE, DAY };
