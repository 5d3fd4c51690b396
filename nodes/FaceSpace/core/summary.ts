// Attendance: first and last sighting of each person, optionally per local day.
import { DateTime } from 'luxon';

import type { Sighting } from './sighting';

export interface PersonSummary {
	person: string;
	/** the local date (YYYY-MM-DD in the summary's time zone) when summarising per day */
	day?: string;
	firstSeen: string;
	lastSeen: string;
	/** cameras in the order the person was first seen on them */
	cameras: string[];
	sightings: number;
}

/** A function from a UTC timestamp to its local date, cached per minute since offsets change on whole minutes. */
function localDay(zone: string): (timestamp: string) => string {
	const cache = new Map<string, string>();
	return (timestamp) => {
		const minute = timestamp.slice(0, 16);
		let day = cache.get(minute);
		if (day === undefined) {
			day = DateTime.fromISO(timestamp, { zone: 'utc' }).setZone(zone).toISODate() ?? timestamp.slice(0, 10);
			cache.set(minute, day);
		}
		return day;
	};
}

export function summarize(sightings: Iterable<Sighting>, options: { perDay: boolean; zone: string }): PersonSummary[] {
	const dayOf = options.perDay ? localDay(options.zone) : undefined;
	const rows = new Map<string, PersonSummary>();
	for (const s of sightings) {
		const day = dayOf?.(s.timestamp);
		const key = day === undefined ? s.person : `${s.person}\u0000${day}`;
		const row = rows.get(key);
		if (!row) {
			rows.set(key, { person: s.person, ...(day === undefined ? {} : { day }), firstSeen: s.timestamp, lastSeen: s.timestamp, cameras: [s.camera], sightings: 1 });
			continue;
		}
		if (s.timestamp < row.firstSeen) row.firstSeen = s.timestamp;
		if (s.timestamp > row.lastSeen) row.lastSeen = s.timestamp;
		if (!row.cameras.includes(s.camera)) row.cameras.push(s.camera);
		row.sightings++;
	}
	return [...rows.values()].sort(
		(a, b) => (a.day ?? '').localeCompare(b.day ?? '') || a.firstSeen.localeCompare(b.firstSeen) || a.person.localeCompare(b.person),
	);
}
