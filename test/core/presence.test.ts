import { PresenceTracker, readRecognition, type Observation, type PresenceOptions } from '../../nodes/FaceSpace/core/presence';

const T0 = Date.UTC(2026, 0, 1, 12);
const snap = (cameras: Record<string, string[]>): Observation => ({ kind: 'snapshot', cameras });
const STOP: Observation = { kind: 'stop', message: 'No cameras active' };
const base: PresenceOptions = { leaveAfterMs: 0, cooldownMs: 0, announceExisting: true };

/** Feed snapshots one second apart and list the events as short strings. */
function run(steps: Observation[], options: Partial<PresenceOptions> = {}, tracker = new PresenceTracker({ ...base, ...options })) {
	return steps.map((step, i) =>
		tracker
			.observe(step, T0 + i * 1000)
			.map((e) => (e.person ? `${e.event === 'personArrived' ? '+' : '-'}${e.person}@${e.camera}` : e.event))
			.join(' '),
	);
}

describe('readRecognition', () => {
	it.each([
		[{ Camera1: ['Alice', 'Bob'], Camera2: [] }, 'snapshot'],
		[{ stop: 'No cameras active at the moment' }, 'stop'],
		[{}, 'snapshot'],
		[[], 'malformed'],
		[null, 'malformed'],
		[{ Camera1: 'Alice' }, 'malformed'],
		[{ Camera1: [1, 2] }, 'malformed'],
	])('%j is a %s', (body, kind) => {
		expect(readRecognition(body).kind).toBe(kind);
	});
});

describe('PresenceTracker', () => {
	it('announces arrivals and departures between snapshots', () => {
		expect(run([snap({ A: [] }), snap({ A: ['Alice'] }), snap({ A: ['Alice', 'Bob'] }), snap({ A: ['Bob'] }), snap({ A: [] })])).toEqual([
			'',
			'+Alice@A',
			'+Bob@A',
			'-Alice@A',
			'-Bob@A',
		]);
	});

	it('tracks the same person on two cameras separately', () => {
		expect(run([snap({ A: [], B: [] }), snap({ A: ['Alice'], B: ['Alice'] }), snap({ A: [], B: ['Alice'] })])).toEqual(['', '+Alice@A +Alice@B', '-Alice@A']);
	});

	it('waits out the leave-after grace, so flicker produces nothing', () => {
		const steps = [snap({ A: ['Alice'] }), snap({ A: [] }), snap({ A: ['Alice'] }), snap({ A: [] }), snap({ A: [] }), snap({ A: [] })];
		expect(run(steps, { leaveAfterMs: 2000 })).toEqual(['+Alice@A', '', '', '', '-Alice@A', '']);
	});

	it('holds back a second arrival within the cooldown, and its departure with it', () => {
		const steps = [snap({ A: ['Alice'] }), snap({ A: [] }), snap({ A: ['Alice'] }), snap({ A: [] }), snap({ A: [] }), snap({ A: [] }), snap({ A: ['Alice'] })];
		expect(run(steps, { cooldownMs: 5000 })).toEqual(['+Alice@A', '-Alice@A', '', '', '', '', '+Alice@A']);
	});

	it('stays silent about people already present on start, then reports their departure', () => {
		expect(run([snap({ A: ['Alice'] }), snap({ A: ['Alice', 'Bob'] }), snap({ A: [] })], { announceExisting: false })).toEqual(['', '+Bob@A', '-Alice@A -Bob@A']);
		expect(run([snap({ A: ['Alice'] })], { announceExisting: true })).toEqual(['+Alice@A']);
	});

	it('filters cameras and people (people ignoring case)', () => {
		const steps = [snap({ A: [], B: [] }), snap({ A: ['Alice', 'Bob'], B: ['Alice'] })];
		expect(run(steps, { cameras: new Set(['A']) })).toEqual(['', '+Alice@A +Bob@A']);
		expect(run(steps, { people: new Set(['alice']) })).toEqual(['', '+Alice@A +Alice@B']);
	});

	it('freezes presence while no camera is active, then settles who left', () => {
		// an outage longer than the grace announces nobody twice
		expect(run([snap({ A: ['Alice', 'Bob'] }), STOP, STOP, STOP, snap({ A: ['Alice'] })], { leaveAfterMs: 1500 })).toEqual([
			'+Alice@A +Bob@A',
			'camerasInactive',
			'',
			'',
			'camerasActive -Bob@A',
		]);
		expect(run([STOP, snap({ A: ['Alice'] })], { announceExisting: true })).toEqual(['camerasInactive', 'camerasActive +Alice@A']);
	});

	it('describes each event with times, duration and a stable id', () => {
		const tracker = new PresenceTracker(base);
		tracker.observe(snap({ A: [] }), T0);
		const [arrived] = tracker.observe(snap({ A: ['Alice'] }), T0 + 1000);
		tracker.observe(snap({ A: ['Alice'] }), T0 + 61_000);
		const [left] = tracker.observe(snap({ A: [] }), T0 + 62_000);
		expect(arrived).toEqual({
			event: 'personArrived',
			camera: 'A',
			person: 'Alice',
			at: '2026-01-01T12:00:01.000Z',
			firstSeenAt: '2026-01-01T12:00:01.000Z',
			eventId: 'personArrived|A|Alice|2026-01-01T12:00:01.000Z',
		});
		expect(left).toEqual({
			event: 'personLeft',
			camera: 'A',
			person: 'Alice',
			at: '2026-01-01T12:01:02.000Z',
			firstSeenAt: '2026-01-01T12:00:01.000Z',
			lastSeenAt: '2026-01-01T12:01:01.000Z',
			durationSeconds: 60,
			eventId: 'personLeft|A|Alice|2026-01-01T12:00:01.000Z',
		});
	});

	it('resumes from saved state without announcing anyone again', () => {
		const first = new PresenceTracker({ ...base, announceExisting: false });
		first.observe(snap({ A: [] }), T0);
		first.observe(snap({ A: ['Alice', 'Bob'] }), T0 + 1000);
		const saved = JSON.parse(JSON.stringify(first.save()));
		const second = new PresenceTracker({ ...base, announceExisting: false }, saved);
		const events = second.observe(snap({ A: ['Alice', 'Carol'] }), T0 + 5000).map((e) => `${e.event} ${e.person}`);
		expect(events).toEqual(['personArrived Carol', 'personLeft Bob']);
		expect(second.present().map((p) => p.person)).toEqual(['Alice', 'Carol']);
	});

	it('keeps its state bounded by who is present', () => {
		const tracker = new PresenceTracker({ ...base, cooldownMs: 1000 });
		for (let i = 0; i < 1000; i++) tracker.observe(snap({ A: [`P${i}`] }), T0 + i * 2000);
		const saved = tracker.save();
		expect(Object.keys(saved.visits.A)).toEqual(['P999']);
		expect(Object.keys(saved.recent.A ?? {}).length).toBeLessThanOrEqual(1);
	});
});
