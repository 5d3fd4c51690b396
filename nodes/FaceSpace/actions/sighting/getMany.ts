import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Sighting } from '../../core/sighting';
import type { FaceSpaceClient } from '../../transport';
import { cameraField, fetchLogs, fetchSightings, malformedOption, noteSkipped, peopleFilter, rangeFields, readItemQuery, timeZoneOption } from './shared';

const show = { resource: ['sighting'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...rangeFields(['getAll']),
	cameraField(['getAll']),
	peopleFilter(['getAll']),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { ...show, returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		default: 'oldest',
		options: [
			{ name: 'Oldest First', value: 'oldest' },
			{ name: 'Newest First', value: 'newest' },
		],
		displayOptions: { show },
		description: 'Order of the sightings; with a limit, which end of the range is kept',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			malformedOption,
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'sighting',
				options: [
					{ name: 'One Item per Sighting', value: 'sighting', description: '{camera, person, timestamp}' },
					{ name: 'One Item per Camera', value: 'camera', description: '{camera, count, sightings: [{person, timestamp}]}' },
					{ name: 'Raw API Answer', value: 'raw', description: 'Camera -> sighting strings, as FaceSpace sent them for the range widened to whole minutes' },
				],
			},
			timeZoneOption,
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FaceSpaceClient): Promise<INodeExecutionData[]> {
	const query = readItemQuery(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pairedItem = { item: itemIndex };
	if (options.output === 'raw') return [{ json: (await fetchLogs(client, query)) as IDataObject, pairedItem }];

	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const order = this.getNodeParameter('sort', itemIndex, 'oldest') === 'newest' ? 'newest' : 'oldest';
	const { sightings, skipped } = await fetchSightings(this, client, query, itemIndex, { order, limit });
	noteSkipped(this, skipped);

	if (options.output !== 'camera') return sightings.map((s) => ({ json: s as unknown as IDataObject, pairedItem }));
	const byCamera = new Map<string, Array<Omit<Sighting, 'camera'>>>();
	for (const { camera, person, timestamp } of sightings) {
		const list = byCamera.get(camera) ?? [];
		if (list.length === 0) byCamera.set(camera, list);
		list.push({ person, timestamp });
	}
	return [...byCamera].map(([camera, list]) => ({ json: { camera, count: list.length, sightings: list }, pairedItem }));
}
