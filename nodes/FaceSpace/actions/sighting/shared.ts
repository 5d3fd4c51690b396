// What Get Many and Summarize share: reading the range, camera and people of one item, and fetching sightings.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import { selectSightings, type LogsAnswer, type MalformedSighting, type Sighting } from '../../core/sighting';
import { exactBounds, readRange, TimeInputError, toWireQuery, type TimeRange } from '../../core/time';
import type { FaceSpaceClient } from '../../transport';

export const rangeFields = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { resource: ['sighting'], operation: operations } },
		description:
			'First instant to include. Empty: from the beginning of the log. Accepts ISO 8601, HH:MM[:SS] DD/MM/YY (day first), DD/MM/YY, epoch milliseconds or a date expression.',
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { resource: ['sighting'], operation: operations } },
		description: 'Last instant to include. Empty: up to now. A date alone covers that whole day.',
	},
];

export const cameraField = (operations: string[]): INodeProperties => ({
	displayName: 'Camera',
	name: 'camera',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	displayOptions: { show: { resource: ['sighting'], operation: operations } },
	description: 'One camera, or leave empty for every camera',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'All cameras',
			typeOptions: { searchListMethod: 'searchCameras', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. FrontDoor' },
	],
});

export const peopleFilter = (operations: string[]): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	displayOptions: { show: { resource: ['sighting'], operation: operations } },
	options: [
		{
			displayName: 'People',
			name: 'people',
			type: 'string',
			default: '',
			placeholder: 'e.g. Alice Martin, Bob',
			description: 'Only these people: exact names, separated by commas',
		},
		{
			displayName: 'Ignore Case',
			name: 'ignoreCase',
			type: 'boolean',
			default: true,
			description: 'Whether "alice martin" matches "Alice Martin"',
		},
	],
});

export const timeZoneOption: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'options',
	default: 'workflow',
	options: [
		{ name: "Workflow's Time Zone", value: 'workflow', description: 'As set in the workflow settings' },
		{ name: 'UTC', value: 'utc' },
	],
	description: 'How to read Start and End when they carry no offset (and where days begin and end)',
};

export const malformedOption: INodeProperties = {
	displayName: 'On Malformed Lines',
	name: 'onMalformed',
	type: 'options',
	default: 'error',
	options: [
		{ name: 'Stop With an Error', value: 'error', description: 'Fail and show the first line that could not be read' },
		{ name: 'Skip and Count Them', value: 'skip', description: 'Leave them out and say how many in a notice' },
	],
	description: 'What to do with a log line that is not "<person> @ HH:MM:SS DD/MM/YY"',
};

export interface ItemQuery {
	range: TimeRange;
	camera?: string;
	people?: Set<string>;
	ignoreCase: boolean;
	zone: string;
	onMalformed: 'error' | 'skip';
}

export function readCamera(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	const locator = ctx.getNodeParameter('camera', itemIndex, { mode: 'list', value: '' }) as INodeParameterResourceLocator | string;
	const { mode, value } = typeof locator === 'object' && locator !== null ? locator : { mode: 'id', value: locator };
	const camera = String(value ?? '').trim();
	if (camera === '' && mode === 'id') {
		throw new NodeOperationError(ctx.getNode(), 'Camera: By ID needs a camera ID', {
			itemIndex,
			description: 'Type the camera ID (e.g. FrontDoor), choose one From List, or switch to From List and leave it empty for every camera',
		});
	}
	return camera === '' ? undefined : camera;
}

export function readPeople(ctx: IExecuteFunctions, itemIndex: number): { people?: Set<string>; ignoreCase: boolean } {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const ignoreCase = filters.ignoreCase !== false;
	const names = String(filters.people ?? '')
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '')
		.map((n) => (ignoreCase ? n.toLowerCase() : n));
	return { people: names.length > 0 ? new Set(names) : undefined, ignoreCase };
}

/** Read and check one item's parameters, before any request is made. */
export function readItemQuery(ctx: IExecuteFunctions, itemIndex: number): ItemQuery {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const zone = options.timeZone === 'utc' ? 'UTC' : ctx.getTimezone();
	let range: TimeRange;
	try {
		range = readRange(ctx.getNodeParameter('start', itemIndex, ''), ctx.getNodeParameter('end', itemIndex, ''), zone);
	} catch (error) {
		const field = error instanceof TimeInputError ? error.field : 'Start and End';
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex, description: `Check the ${field} field of this item` });
	}
	return { range, camera: readCamera(ctx, itemIndex), ...readPeople(ctx, itemIndex), zone, onMalformed: options.onMalformed === 'skip' ? 'skip' : 'error' };
}

/** GET /logs for the query's range widened to minutes; the answer as the API gave it. */
export async function fetchLogs(client: FaceSpaceClient, query: ItemQuery): Promise<LogsAnswer> {
	return await client.logs({ ...toWireQuery(query.range), camera_id: query.camera });
}

/** The sightings of the query's exact range, malformed lines handled as the item asks. */
export async function fetchSightings(
	ctx: IExecuteFunctions,
	client: FaceSpaceClient,
	query: ItemQuery,
	itemIndex: number,
	select: { order: 'oldest' | 'newest'; limit: number },
): Promise<{ sightings: Sighting[]; skipped: number }> {
	const answer = await fetchLogs(client, query);
	let skipped = 0;
	const onMalformed = (m: MalformedSighting) => {
		if (query.onMalformed === 'skip') {
			skipped++;
			return;
		}
		throw new NodeOperationError(ctx.getNode(), `FaceSpace sent a sighting that cannot be read, on camera "${m.camera}": ${m.reason}`, {
			itemIndex,
			description: `The line was: ${JSON.stringify(m.line)}. Set Options > On Malformed Lines to "Skip and Count Them" to leave such lines out.`,
		});
	};
	const sightings = selectSightings(answer, { ...exactBounds(query.range), people: query.people, ignoreCase: query.ignoreCase, ...select }, onMalformed);
	return { sightings, skipped };
}

export function noteSkipped(ctx: IExecuteFunctions, skipped: number): void {
	if (skipped === 0) return;
	ctx.addExecutionHints({
		message: `${skipped} malformed sighting line${skipped === 1 ? ' was' : 's were'} skipped (Options > On Malformed Lines)`,
		location: 'outputPane',
	});
}
