// Reading what GET /logs returns: camera -> ["<person> @ HH:MM:SS DD/MM/YY", ...], oldest first.

export interface Sighting {
	camera: string;
	person: string;
	/** ISO 8601 UTC with seconds, e.g. 2023-10-23T11:15:47Z */
	timestamp: string;
}

export interface MalformedSighting {
	camera: string;
	line: string;
	reason: string;
}

export type LogsAnswer = Record<string, string[]>;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// ' @ ' + 'HH:MM:SS DD/MM/YY'
const TAIL = 20;
const ZERO = 48;

function twoDigits(line: string, at: number): number {
	const a = line.charCodeAt(at) - ZERO;
	const b = line.charCodeAt(at + 1) - ZERO;
	// -1 marks "not two digits"; every caller range-checks the result
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The ISO timestamp of a sighting line, or undefined when the line does not end in
 * ` @ HH:MM:SS DD/MM/YY` with a real calendar date and time. Hand-written for speed:
 * the tail has a fixed width, so the separator is the last ` @ ` exactly when it sits
 * 20 characters from the end (a timestamp holds no `@`).
 */
export function sightingTimestamp(line: string): string | undefined {
	const n = line.length;
	const t = n - 17;
	if (n <= TAIL || line.charCodeAt(t - 3) !== 32 || line.charCodeAt(t - 2) !== 64 || line.charCodeAt(t - 1) !== 32) return undefined;
	if (line.charCodeAt(t + 2) !== 58 || line.charCodeAt(t + 5) !== 58 || line.charCodeAt(t + 8) !== 32) return undefined;
	if (line.charCodeAt(t + 11) !== 47 || line.charCodeAt(t + 14) !== 47) return undefined;
	const hour = twoDigits(line, t);
	const minute = twoDigits(line, t + 3);
	const second = twoDigits(line, t + 6);
	const day = twoDigits(line, t + 9);
	const month = twoDigits(line, t + 12);
	const year = twoDigits(line, t + 15);
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || year < 0) return undefined;
	if (month < 1 || month > 12 || day < 1) return undefined;
	// YY is 20YY, so every year divisible by 4 is a leap year (2000 included)
	const daysInMonth = month === 2 && year % 4 === 0 ? 29 : DAYS_IN_MONTH[month - 1];
	if (day > daysInMonth) return undefined;
	return `20${line.slice(t + 15, n)}-${line.slice(t + 12, t + 14)}-${line.slice(t + 9, t + 11)}T${line.slice(t, t + 8)}Z`;
}

/** A sighting from one line of the log, or undefined when the line is malformed. */
export function parseSighting(camera: string, line: string): Sighting | undefined {
	const timestamp = typeof line === 'string' ? sightingTimestamp(line) : undefined;
	if (timestamp === undefined) return undefined;
	const person = line.slice(0, line.length - TAIL);
	// a name of spaces only is no name; trim only when the first character is a space
	if (person.charCodeAt(0) <= 32 && person.trim() === '') return undefined;
	return { camera, person, timestamp };
}

/** Why a line that `parseSighting` refused is malformed, for a person to read. */
export function describeMalformed(line: unknown): string {
	if (typeof line !== 'string') return `a sighting must be a string, got ${line === null ? 'null' : typeof line}`;
	const at = line.lastIndexOf(' @ ');
	if (at < 0) return 'no " @ " between the person and the time';
	if (line.slice(0, at).trim() === '') return 'no person name before " @ "';
	const tail = line.slice(at + 3);
	if (!/^\d{2}:\d{2}:\d{2} \d{2}\/\d{2}\/\d{2}$/.test(tail)) return `"${tail}" is not a time as HH:MM:SS DD/MM/YY`;
	return `"${tail}" is not a real date and time (day first: HH:MM:SS DD/MM/YY)`;
}

/**
 * Check the shape of a /logs answer: an object of camera -> array of strings.
 * Returns a description of what is wrong, or undefined when the shape is right.
 */
export function logsShapeProblem(body: unknown): string | undefined {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return `expected an object of camera -> sightings, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`;
	}
	for (const [camera, lines] of Object.entries(body)) {
		if (!Array.isArray(lines)) return `camera "${camera}" has ${typeof lines} instead of a list of sightings`;
	}
	return undefined;
}

export interface SightingQuery {
	/** ISO bounds, inclusive, compared as strings (same format as Sighting.timestamp) */
	from?: string;
	to?: string;
	/** keep only these people; compared lowercased when `ignoreCase` */
	people?: Set<string>;
	ignoreCase?: boolean;
	order: 'oldest' | 'newest';
	limit: number;
}

/**
 * The sightings of a /logs answer that match the query, merged across cameras in time order,
 * with at most `limit` of them. Each camera is read from the end the order starts at and
 * stops once it has contributed `limit` matches, so a small limit parses little of a large answer.
 */
export function selectSightings(
	answer: LogsAnswer,
	query: SightingQuery,
	onMalformed: (malformed: MalformedSighting) => void,
): Sighting[] {
	const { from, to, people, ignoreCase, order, limit } = query;
	const newest = order === 'newest';
	const picked: Sighting[] = [];
	for (const camera of Object.keys(answer)) {
		const lines = answer[camera];
		let taken = 0;
		for (let k = 0; k < lines.length && taken < limit; k++) {
			const line = lines[newest ? lines.length - 1 - k : k];
			const sighting = parseSighting(camera, line);
			if (sighting === undefined) {
				onMalformed({ camera, line: String(line), reason: describeMalformed(line) });
				continue;
			}
			const ts = sighting.timestamp;
			if ((from !== undefined && ts < from) || (to !== undefined && ts > to)) continue;
			if (people !== undefined && !people.has(ignoreCase ? sighting.person.toLowerCase() : sighting.person)) continue;
			picked.push(sighting);
			taken++;
		}
	}
	const byTime = (a: Sighting, b: Sighting) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0);
	picked.sort(newest ? (a, b) => byTime(b, a) : byTime);
	if (picked.length > limit) picked.length = limit;
	return picked;
}
