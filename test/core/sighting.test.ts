import { describeMalformed, logsShapeProblem, parseSighting, selectSightings, type MalformedSighting } from '../../nodes/FaceSpace/core/sighting';

describe('parseSighting', () => {
	it.each([
		['Alice @ 00:05:22 23/10/23', 'Alice', '2023-10-23T00:05:22Z'],
		["Zoë O'Neil @ 11:15:47 23/10/23", "Zoë O'Neil", '2023-10-23T11:15:47Z'],
		['Jean-Luc Picard @ 23:59:59 31/12/99', 'Jean-Luc Picard', '2099-12-31T23:59:59Z'],
		['dev@ops @ 07:30:00 01/01/00', 'dev@ops', '2000-01-01T07:30:00Z'],
		['Ali @ Home @ 12:00:00 29/02/24', 'Ali @ Home', '2024-02-29T12:00:00Z'],
		['李小龙 @ 08:00:01 05/10/23', '李小龙', '2023-10-05T08:00:01Z'],
		['  padded  @ 08:00:01 05/10/23', '  padded ', '2023-10-05T08:00:01Z'],
	])('reads %j', (line, person, timestamp) => {
		expect(parseSighting('FrontDoor', line)).toEqual({ camera: 'FrontDoor', person, timestamp });
	});

	it('reads 05/10/23 as 5 October, day first', () => {
		expect(parseSighting('C', 'Bob @ 10:00:00 05/10/23')?.timestamp).toBe('2023-10-05T10:00:00Z');
	});

	it.each([
		['Bob @ 10:00:00 31/04/24', 'April has 30 days'],
		['Bob @ 10:00:00 30/02/23', 'no 30 February'],
		['Bob @ 10:00:00 29/02/23', '2023 is not a leap year'],
		['Bob @ 24:00:00 01/01/24', 'hour 24'],
		['Bob @ 10:60:00 01/01/24', 'minute 60'],
		['Bob @ 10:00:60 01/01/24', 'second 60'],
		['Bob @ 10:00:00 01/13/24', 'month 13'],
		['Bob @ 10:00:00 00/01/24', 'day 0'],
		['Bob @ 10:00 01/01/24', 'no seconds'],
		['Bob @ 10:00:00 01/01/2024', 'four-digit year'],
		['Bob 10:00:00 01/01/24', 'no separator'],
		['Bob @ 1a:00:00 01/01/24', 'a letter in the hour'],
		[' @ 10:00:00 01/01/24', 'no name'],
		['@ 10:00:00 01/01/24', 'too short'],
		['', 'empty'],
		['Bob @ 10:00:00 01/01/24 ', 'trailing space'],
	])('refuses %j (%s) rather than shifting it into another day', (line) => {
		expect(parseSighting('C', line)).toBeUndefined();
		expect(describeMalformed(line)).toEqual(expect.any(String));
	});

	it('says why a line is malformed', () => {
		expect(describeMalformed('Bob 10:00:00 01/01/24')).toMatch(/no " @ "/);
		expect(describeMalformed('Bob @ 10:00:00 31/04/24')).toMatch(/not a real date/);
		expect(describeMalformed('Bob @ yesterday')).toMatch(/"yesterday" is not a time/);
		expect(describeMalformed(42)).toMatch(/must be a string, got number/);
	});
});

describe('logsShapeProblem', () => {
	it.each([
		[{ FrontDoor: [] }, undefined],
		[{}, undefined],
		[[], /an array/],
		[null, /null/],
		['text', /string/],
		[{ FrontDoor: 'Alice' }, /camera "FrontDoor" has string/],
	])('%j', (body, problem) => {
		const found = logsShapeProblem(body);
		if (problem === undefined) expect(found).toBeUndefined();
		else expect(found).toMatch(problem);
	});
});

describe('selectSightings', () => {
	const answer = {
		FrontDoor: ['Alice @ 09:00:00 01/01/26', 'Bob @ 09:05:00 01/01/26', 'broken line', 'Alice @ 10:00:30 01/01/26'],
		Lobby: ['Bob @ 09:02:00 01/01/26', 'alice @ 10:00:31 01/01/26'],
		Empty: [],
	};
	const select = (query: Partial<Parameters<typeof selectSightings>[1]>) => {
		const malformed: MalformedSighting[] = [];
		const got = selectSightings(answer, { order: 'oldest', limit: Infinity, ...query }, (m) => malformed.push(m));
		return { got: got.map((s) => `${s.camera}:${s.person}@${s.timestamp.slice(11, 19)}`), malformed };
	};

	it('merges cameras in time order and reports malformed lines with their camera', () => {
		const { got, malformed } = select({});
		expect(got).toEqual(['FrontDoor:Alice@09:00:00', 'Lobby:Bob@09:02:00', 'FrontDoor:Bob@09:05:00', 'FrontDoor:Alice@10:00:30', 'Lobby:alice@10:00:31']);
		expect(malformed).toEqual([{ camera: 'FrontDoor', line: 'broken line', reason: expect.stringContaining('@') }]);
	});

	it('orders newest first and applies the limit across cameras', () => {
		expect(select({ order: 'newest', limit: 2 }).got).toEqual(['Lobby:alice@10:00:31', 'FrontDoor:Alice@10:00:30']);
		expect(select({ order: 'oldest', limit: 2 }).got).toEqual(['FrontDoor:Alice@09:00:00', 'Lobby:Bob@09:02:00']);
	});

	it('cuts to exact inclusive second bounds', () => {
		expect(select({ from: '2026-01-01T09:02:00Z', to: '2026-01-01T10:00:30Z' }).got).toEqual(['Lobby:Bob@09:02:00', 'FrontDoor:Bob@09:05:00', 'FrontDoor:Alice@10:00:30']);
	});

	it('filters people exactly, or ignoring case', () => {
		expect(select({ people: new Set(['Alice']) }).got).toEqual(['FrontDoor:Alice@09:00:00', 'FrontDoor:Alice@10:00:30']);
		expect(select({ people: new Set(['alice']), ignoreCase: true }).got).toHaveLength(3);
	});
});
