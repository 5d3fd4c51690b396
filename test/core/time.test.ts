import { DateTime } from 'luxon';

import { exactBounds, readRange, readTime, TimeInputError, toWireQuery } from '../../nodes/FaceSpace/core/time';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('readTime', () => {
	it.each([
		['2024-05-10T09:30:00Z', 'UTC', 'start', '2024-05-10T09:30:00.000Z'],
		['2024-05-10T09:30:00+02:00', 'UTC', 'start', '2024-05-10T07:30:00.000Z'],
		['2024-05-10T09:30:00', 'America/New_York', 'start', '2024-05-10T13:30:00.000Z'],
		['2024-05-10 09:30:00', 'UTC', 'start', '2024-05-10T09:30:00.000Z'],
		['2024-05-10', 'UTC', 'start', '2024-05-10T00:00:00.000Z'],
		['2024-05-10', 'UTC', 'end', '2024-05-10T23:59:59.999Z'],
		['05/10/23', 'UTC', 'start', '2023-10-05T00:00:00.000Z'],
		['05/10/23', 'UTC', 'end', '2023-10-05T23:59:59.999Z'],
		['29/02/24', 'UTC', 'start', '2024-02-29T00:00:00.000Z'],
		['09:30 10/05/24', 'UTC', 'start', '2024-05-10T09:30:00.000Z'],
		['09:30:15 10/05/2024', 'UTC', 'start', '2024-05-10T09:30:15.000Z'],
		['09:30 10/05/24', 'Asia/Tokyo', 'start', '2024-05-10T00:30:00.000Z'],
		['1715333400000', 'UTC', 'start', '2024-05-10T09:30:00.000Z'],
	])('reads %j in %s as %s %s', (value, zone, role, expected) => {
		expect(iso(readTime(value, 'Start', zone, role as 'start' | 'end'))).toBe(expected);
	});

	it('reads times on both sides of a daylight-saving change in the workflow time zone', () => {
		// Europe/Berlin moves from +01:00 to +02:00 on 31 March 2024 and back on 27 October 2024
		expect(iso(readTime('2024-03-31T01:30:00', 'Start', 'Europe/Berlin', 'start'))).toBe('2024-03-31T00:30:00.000Z');
		expect(iso(readTime('2024-03-31T03:30:00', 'Start', 'Europe/Berlin', 'start'))).toBe('2024-03-31T01:30:00.000Z');
		expect(iso(readTime('10:00 26/10/24', 'Start', 'Europe/Berlin', 'start'))).toBe('2024-10-26T08:00:00.000Z');
		expect(iso(readTime('10:00 28/10/24', 'Start', 'Europe/Berlin', 'start'))).toBe('2024-10-28T09:00:00.000Z');
		// the day of the change has 25 hours: its whole-day end is 23:59:59.999 local, +01:00
		expect(iso(readTime('27/10/24', 'End', 'Europe/Berlin', 'end'))).toBe('2024-10-27T22:59:59.999Z');
	});

	it('takes n8n DateTime values, JS Dates and epoch milliseconds as they are', () => {
		const at = Date.UTC(2024, 4, 10, 9, 30);
		expect(readTime(DateTime.fromMillis(at, { zone: 'Asia/Kolkata' }), 'Start', 'UTC', 'start')).toBe(at);
		expect(readTime(new Date(at), 'Start', 'UTC', 'start')).toBe(at);
		expect(readTime(at, 'Start', 'UTC', 'start')).toBe(at);
	});

	it('treats empty as unbounded', () => {
		for (const empty of [undefined, null, '', '   ']) expect(readTime(empty, 'Start', 'UTC', 'start')).toBeUndefined();
	});

	it.each([
		['31/04/24', /not a real date/],
		['30/02/23', /not a real date/],
		['24:00 01/01/24', /not a real date/],
		['05/13/23', /day first/],
		['yesterday', /cannot read "yesterday"/],
		['2024-02-30', /cannot read/],
		[Number.NaN, /cannot read NaN/],
		[new Date('nope'), /invalid Date/],
		[DateTime.invalid('bad'), /cannot read/],
		[{ when: 'now' }, /a object/],
		[true, /a boolean/],
	])('rejects %p naming the field and the accepted forms', (value, why) => {
		let error: unknown;
		try {
			readTime(value, 'Start', 'UTC', 'start');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(TimeInputError);
		expect((error as TimeInputError).field).toBe('Start');
		expect((error as Error).message).toMatch(/^Start: /);
		expect((error as Error).message).toMatch(why);
		expect((error as Error).message).toContain('ISO 8601');
		expect((error as Error).message).toContain('DD/MM/YY');
	});
});

describe('readRange', () => {
	it('rejects an end before its start, naming both', () => {
		expect(() => readRange('10:00 02/01/26', '09:00 02/01/26', 'UTC')).toThrow(/End \(2026-01-02T09:00:00.000Z\) is before Start \(2026-01-02T10:00:00.000Z\)/);
	});

	it('accepts an equal start and end, and one-sided ranges', () => {
		expect(readRange('02/01/26', '02/01/26', 'UTC')).toEqual({ startMs: Date.UTC(2026, 0, 2), endMs: Date.UTC(2026, 0, 3) - 1 });
		expect(readRange('', '02/01/26', 'UTC').startMs).toBeUndefined();
		expect(readRange('02/01/26', undefined, 'UTC').endMs).toBeUndefined();
	});
});

describe('toWireQuery and exactBounds', () => {
	const at = (text: string) => Date.parse(text);

	it.each([
		[{}, {}],
		[{ startMs: at('2023-10-23T10:00:30Z') }, { start_time: '10:00 23/10/23' }],
		[{ startMs: at('2023-10-23T00:00:00Z') }, { start_time: '23/10/23' }],
		[{ endMs: at('2023-10-23T10:00:30Z') }, { end_time: '10:01 23/10/23' }],
		[{ endMs: at('2023-10-23T10:00:00Z') }, { end_time: '10:00 23/10/23' }],
		[{ endMs: at('2023-10-23T23:59:59.999Z') }, { end_time: '23/10/23' }],
		[{ endMs: at('2023-10-23T23:59:30Z') }, { end_time: '00:00 24/10/23' }],
		[{ startMs: at('1999-06-01T00:00:00Z'), endMs: at('2101-01-01T00:00:00Z') }, {}],
	])('%j -> %j', (range, query) => {
		expect(toWireQuery(range)).toEqual(query);
	});

	it('sends UTC whatever zone the input was read in', () => {
		const range = readRange('09:30 10/05/24', '10:45:10 10/05/24', 'Asia/Tokyo');
		expect(toWireQuery(range)).toEqual({ start_time: '00:30 10/05/24', end_time: '01:46 10/05/24' });
	});

	it('cuts back to whole seconds, inclusive', () => {
		expect(exactBounds({ startMs: at('2023-10-23T10:00:30.500Z'), endMs: at('2023-10-23T10:05:00.900Z') })).toEqual({
			from: '2023-10-23T10:00:31Z',
			to: '2023-10-23T10:05:00Z',
		});
		expect(exactBounds({})).toEqual({ from: undefined, to: undefined });
	});
});
