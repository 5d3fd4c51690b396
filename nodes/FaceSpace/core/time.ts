// Reading the times users type or compute, and turning a range into the API's minute-resolution query.
import { DateTime } from 'luxon';

export class TimeInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'TimeInputError';
	}
}

export const ACCEPTED_FORMS =
	'ISO 8601 (2024-05-10T09:30:00, with or without an offset), HH:MM[:SS] DD/MM/YY or DD/MM/YYYY ' +
	'(day first, e.g. 09:30 10/05/24), DD/MM/YY for a whole day, epoch milliseconds, ' +
	'or an n8n date expression such as {{ $now.minus({ hours: 1 }) }}';

export type Role = 'start' | 'end';

export interface TimeRange {
	/** epoch milliseconds; undefined means unbounded */
	startMs?: number;
	endMs?: number;
}

const DAY_FIRST = /^(?:(\d{1,2}):(\d{2})(?::(\d{2}))? )?(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/;
const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function fail(field: string, value: unknown, why?: string): never {
	const shown = typeof value === 'string' ? `"${value}"` : String(value);
	throw new TimeInputError(field, `${field}: cannot read ${shown} as a date and time${why ? ` (${why})` : ''}. Accepted: ${ACCEPTED_FORMS}.`);
}

function fromDayFirst(m: RegExpExecArray, zone: string, role: Role, field: string, text: string): number {
	const [, hh, mi, ss, dd, mo, yy] = m;
	const year = yy.length === 2 ? 2000 + Number(yy) : Number(yy);
	const [hour, minute, second] = [Number(hh ?? 0), Number(mi ?? 0), Number(ss ?? 0)];
	const dt = DateTime.fromObject({ year, month: Number(mo), day: Number(dd), hour, minute, second }, { zone });
	// luxon takes 24:00 as the next midnight; the API's clock stops at 23:59
	if (!dt.isValid || hour > 23) fail(field, text, `${dd}/${mo}/${yy}${hh === undefined ? '' : ` ${hh}:${mi}${ss ? `:${ss}` : ''}`} is not a real date and time; dates are day first`);
	return (hh === undefined && role === 'end' ? dt.endOf('day') : dt).toMillis();
}

function fromText(text: string, zone: string, role: Role, field: string): number {
	if (/^\d{10,}$/.test(text)) return Number(text);
	const dayFirst = DAY_FIRST.exec(text);
	if (dayFirst) return fromDayFirst(dayFirst, zone, role, field, text);
	let dt = DateTime.fromISO(text, { zone });
	if (!dt.isValid) dt = DateTime.fromSQL(text, { zone });
	if (!dt.isValid) fail(field, text, dt.invalidExplanation ?? undefined);
	// a date without a time as the end of a range covers that whole day, as the API's DD/MM/YY does
	return (ISO_DATE_ONLY.test(text) && role === 'end' ? dt.endOf('day') : dt).toMillis();
}

/**
 * One time input as epoch milliseconds, or undefined when it is empty.
 * Values without an offset are read in `zone` (the workflow's time zone, or UTC).
 */
export function readTime(value: unknown, field: string, zone: string, role: Role): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) fail(field, value);
		return value;
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) fail(field, value, 'an invalid Date');
		return value.getTime();
	}
	if (DateTime.isDateTime(value)) {
		if (!value.isValid) fail(field, value.toString(), value.invalidExplanation ?? 'an invalid DateTime');
		return value.toMillis();
	}
	if (typeof value === 'string') {
		const text = value.trim();
		return text === '' ? undefined : fromText(text, zone, role, field);
	}
	return fail(field, typeof value === 'object' ? JSON.stringify(value) : value, `a ${typeof value}`);
}

/** A range from two inputs; an end before its start is an error naming both. */
export function readRange(start: unknown, end: unknown, zone: string, fields = { start: 'Start', end: 'End' }): TimeRange {
	const startMs = readTime(start, fields.start, zone, 'start');
	const endMs = readTime(end, fields.end, zone, 'end');
	if (startMs !== undefined && endMs !== undefined && endMs < startMs) {
		throw new TimeInputError(
			fields.end,
			`${fields.end} (${new Date(endMs).toISOString()}) is before ${fields.start} (${new Date(startMs).toISOString()}): swap them or leave ${fields.end} empty for "up to now"`,
		);
	}
	return { startMs, endMs };
}

const MINUTE = 60_000;
// two-digit years on the wire: only 2000-2099 can be asked for
const WIRE_FIRST = Date.UTC(2000, 0, 1);
const WIRE_LAST = Date.UTC(2100, 0, 1) - 1;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function wireDate(d: Date): string {
	return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)}`;
}

const wireTime = (ms: number) => {
	const d = new Date(ms);
	return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${wireDate(d)}`;
};

const isMidnight = (ms: number) => ms % (24 * 60 * MINUTE) === 0;

/**
 * The /logs query for a range, widened to whole minutes (start down, end up) because the API
 * takes minutes; `exactBounds` then cuts the answer back to the exact seconds asked for.
 * A bound outside the years the API can express is left out, which loses nothing.
 */
export function toWireQuery(range: TimeRange): { start_time?: string; end_time?: string } {
	const query: { start_time?: string; end_time?: string } = {};
	if (range.startMs !== undefined && range.startMs > WIRE_FIRST) {
		const start = Math.floor(Math.min(range.startMs, WIRE_LAST) / MINUTE) * MINUTE;
		query.start_time = isMidnight(start) ? wireDate(new Date(start)) : wireTime(start);
	}
	if (range.endMs !== undefined && range.endMs < WIRE_LAST) {
		const end = Math.max(range.endMs, WIRE_FIRST);
		// the last instant of a UTC day asks for that whole day, as DD/MM/YY does
		query.end_time = isMidnight(end + 1) ? wireDate(new Date(end)) : wireTime(Math.ceil(end / MINUTE) * MINUTE);
	}
	return query;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

/** Inclusive bounds as ISO strings with whole seconds, comparable with Sighting.timestamp. */
export function exactBounds(range: TimeRange): { from?: string; to?: string } {
	return {
		from: range.startMs === undefined ? undefined : isoSeconds(Math.ceil(range.startMs / 1000) * 1000),
		to: range.endMs === undefined ? undefined : isoSeconds(Math.floor(range.endMs / 1000) * 1000),
	};
}
