// Who is on each camera now (GET /recognition), and the arrivals and departures between snapshots.

/** camera -> names recognised there at this moment */
export type Snapshot = Record<string, string[]>;

export type Observation = { kind: 'snapshot'; cameras: Snapshot } | { kind: 'stop'; message: string };

/** Read a /recognition answer: a snapshot, the stop signal, or a description of what is wrong. */
export function readRecognition(body: unknown): Observation | { kind: 'malformed'; problem: string } {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { kind: 'malformed', problem: `expected an object of camera -> names, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}` };
	}
	const record = body as Record<string, unknown>;
	if (typeof record.stop === 'string') return { kind: 'stop', message: record.stop };
	for (const [camera, names] of Object.entries(record)) {
		if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
			return { kind: 'malformed', problem: `camera "${camera}" should list names as strings` };
		}
	}
	return { kind: 'snapshot', cameras: record as Snapshot };
}

export type PresenceEventName = 'personArrived' | 'personLeft' | 'camerasInactive' | 'camerasActive';

export interface PresenceEvent {
	event: PresenceEventName;
	camera?: string;
	person?: string;
	/** when the trigger noticed the change (ISO 8601 UTC) */
	at: string;
	firstSeenAt?: string;
	lastSeenAt?: string;
	durationSeconds?: number;
	message?: string;
	/** stable across restarts: event, camera, person and first-seen time */
	eventId: string;
}

export interface PresenceOptions {
	/** a person missing for this long has left; shorter gaps are recognition flicker */
	leaveAfterMs: number;
	/** no second arrival of the same person on the same camera within this long */
	cooldownMs: number;
	/** announce people already present on the first snapshot */
	announceExisting: boolean;
	cameras?: Set<string>;
	/** lowercased names */
	people?: Set<string>;
}

interface Visit {
	firstSeenAt: number;
	lastSeenAt: number;
	/** a visit whose arrival was held back by the cooldown stays unannounced, departure included */
	silent: boolean;
	seenInPoll: number;
}

/** What survives a restart: small, plain JSON, safe for workflow static data. */
export interface SavedPresence {
	/** camera -> person -> [firstSeenAt, lastSeenAt, silent ? 1 : 0] */
	visits: Record<string, Record<string, [number, number, number]>>;
	/** camera -> person -> when an arrival was last announced */
	recent: Record<string, Record<string, number>>;
	inactive: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class PresenceTracker {
	private readonly visits = new Map<string, Map<string, Visit>>();
	private readonly recent = new Map<string, Map<string, number>>();
	private inactive = false;
	private polls = 0;
	private hasBaseline: boolean;

	constructor(
		private readonly options: PresenceOptions,
		saved?: SavedPresence,
	) {
		this.hasBaseline = saved !== undefined;
		if (!saved) return;
		this.inactive = saved.inactive === true;
		for (const [camera, people] of Object.entries(saved.visits ?? {})) {
			for (const [person, [firstSeenAt, lastSeenAt, silent]] of Object.entries(people)) {
				this.visitsOf(camera).set(person, { firstSeenAt, lastSeenAt, silent: silent === 1, seenInPoll: 0 });
			}
		}
		for (const [camera, people] of Object.entries(saved.recent ?? {})) {
			this.recent.set(camera, new Map(Object.entries(people)));
		}
	}

	private visitsOf(camera: string): Map<string, Visit> {
		let people = this.visits.get(camera);
		if (!people) this.visits.set(camera, (people = new Map()));
		return people;
	}

	private wanted(camera: string, person: string): boolean {
		const { cameras, people } = this.options;
		return (cameras === undefined || cameras.has(camera)) && (people === undefined || people.has(person.toLowerCase()));
	}

	/** Take in one successful poll; returns what changed, in order: camera state, arrivals, departures. */
	observe(observation: Observation, now: number): PresenceEvent[] {
		const poll = ++this.polls;
		const events: PresenceEvent[] = [];
		const at = iso(now);
		if (observation.kind === 'stop') {
			// no camera can see anyone: presence is frozen until cameras report again, so an outage
			// neither empties the building nor, once over, announces everyone a second time
			if (!this.inactive) events.push({ event: 'camerasInactive', at, message: observation.message, eventId: `camerasInactive|${at}` });
			this.inactive = true;
			return events;
		}
		// the first snapshot is the baseline that On Start is about
		const baseline = !this.hasBaseline;
		this.hasBaseline = true;
		const cameBack = this.inactive;
		if (cameBack) events.push({ event: 'camerasActive', at, eventId: `camerasActive|${at}` });
		this.inactive = false;
		for (const camera of Object.keys(observation.cameras)) {
			for (const person of observation.cameras[camera]) {
				if (!this.wanted(camera, person)) continue;
				const people = this.visitsOf(camera);
				const visit = people.get(person);
				if (visit) {
					visit.lastSeenAt = now;
					visit.seenInPoll = poll;
					continue;
				}
				const lastArrival = this.recent.get(camera)?.get(person);
				const silent = lastArrival !== undefined && now - lastArrival < this.options.cooldownMs;
				people.set(person, { firstSeenAt: now, lastSeenAt: now, silent, seenInPoll: poll });
				if (silent || (baseline && !this.options.announceExisting)) continue;
				if (!this.recent.has(camera)) this.recent.set(camera, new Map());
				this.recent.get(camera)?.set(person, now);
				events.push({ event: 'personArrived', camera, person, at, firstSeenAt: at, eventId: `personArrived|${camera}|${person}|${at}` });
			}
		}
		for (const [camera, people] of this.visits) {
			for (const [person, visit] of people) {
				// back from an outage, whoever is missing has left: they were last seen before it
				if (visit.seenInPoll === poll || (now - visit.lastSeenAt < this.options.leaveAfterMs && !cameBack)) continue;
				people.delete(person);
				if (visit.silent) continue;
				const firstSeenAt = iso(visit.firstSeenAt);
				events.push({
					event: 'personLeft',
					camera,
					person,
					at,
					firstSeenAt,
					lastSeenAt: iso(visit.lastSeenAt),
					durationSeconds: Math.round((visit.lastSeenAt - visit.firstSeenAt) / 1000),
					eventId: `personLeft|${camera}|${person}|${firstSeenAt}`,
				});
			}
		}
		if (events.length > 0) this.forgetOldArrivals(now);
		return events;
	}

	private forgetOldArrivals(now: number): void {
		for (const [camera, people] of this.recent) {
			for (const [person, at] of people) if (now - at >= this.options.cooldownMs) people.delete(person);
			if (people.size === 0) this.recent.delete(camera);
		}
	}

	/** Everyone present now, in the order they were first seen. */
	present(): Array<{ camera: string; person: string; firstSeenAt: string; lastSeenAt: string }> {
		const out = [];
		for (const [camera, people] of this.visits) {
			for (const [person, v] of people) out.push({ camera, person, firstSeenAt: iso(v.firstSeenAt), lastSeenAt: iso(v.lastSeenAt), first: v.firstSeenAt });
		}
		return out.sort((a, b) => a.first - b.first).map(({ first: _, ...rest }) => rest);
	}

	get camerasInactive(): boolean {
		return this.inactive;
	}

	save(): SavedPresence {
		const visits: SavedPresence['visits'] = {};
		for (const [camera, people] of this.visits) {
			if (people.size === 0) continue;
			visits[camera] = {};
			for (const [person, v] of people) visits[camera][person] = [v.firstSeenAt, v.lastSeenAt, v.silent ? 1 : 0];
		}
		const recent: SavedPresence['recent'] = {};
		for (const [camera, people] of this.recent) recent[camera] = Object.fromEntries(people);
		return { visits, recent, inactive: this.inactive };
	}
}
