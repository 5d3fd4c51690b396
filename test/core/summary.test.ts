import { summarize } from '../../nodes/FaceSpace/core/summary';

const s = (camera: string, person: string, timestamp: string) => ({ camera, person, timestamp });

describe('summarize', () => {
	const sightings = [
		s('FrontDoor', 'Alice', '2026-01-01T08:00:00Z'),
		s('Lobby', 'Bob', '2026-01-01T09:00:00Z'),
		s('Lobby', 'Alice', '2026-01-01T12:00:00Z'),
		s('FrontDoor', 'Alice', '2026-01-01T23:30:00Z'),
		s('FrontDoor', 'Alice', '2026-01-02T07:00:00Z'),
	];

	it('gives each person first and last seen, cameras in order, and a count', () => {
		expect(summarize(sightings, { perDay: false, zone: 'UTC' })).toEqual([
			{ person: 'Alice', firstSeen: '2026-01-01T08:00:00Z', lastSeen: '2026-01-02T07:00:00Z', cameras: ['FrontDoor', 'Lobby'], sightings: 4 },
			{ person: 'Bob', firstSeen: '2026-01-01T09:00:00Z', lastSeen: '2026-01-01T09:00:00Z', cameras: ['Lobby'], sightings: 1 },
		]);
	});

	it('cuts days in the given time zone', () => {
		const utc = summarize(sightings, { perDay: true, zone: 'UTC' }).map((r) => `${r.day} ${r.person} ${r.sightings}`);
		expect(utc).toEqual(['2026-01-01 Alice 3', '2026-01-01 Bob 1', '2026-01-02 Alice 1']);
		// in Berlin (+01:00) 23:30 UTC is already 2 January
		const berlin = summarize(sightings, { perDay: true, zone: 'Europe/Berlin' }).map((r) => `${r.day} ${r.person} ${r.sightings}`);
		expect(berlin).toEqual(['2026-01-01 Alice 2', '2026-01-01 Bob 1', '2026-01-02 Alice 2']);
	});
});
