import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { summarize } from '../../core/summary';
import type { FaceSpaceClient } from '../../transport';
import { cameraField, fetchSightings, malformedOption, noteSkipped, peopleFilter, rangeFields, readItemQuery, timeZoneOption } from './shared';

const show = { resource: ['sighting'], operation: ['summarize'] };

export const description: INodeProperties[] = [
	...rangeFields(['summarize']),
	cameraField(['summarize']),
	peopleFilter(['summarize']),
	{
		displayName: 'Group by Day',
		name: 'perDay',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: "Whether to give one item per person and day (days cut in the workflow's time zone) instead of one per person",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [malformedOption, timeZoneOption],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FaceSpaceClient): Promise<INodeExecutionData[]> {
	const query = readItemQuery(this, itemIndex);
	const perDay = this.getNodeParameter('perDay', itemIndex, false) as boolean;
	const { sightings, skipped } = await fetchSightings(this, client, query, itemIndex, { order: 'oldest', limit: Infinity });
	noteSkipped(this, skipped);
	return summarize(sightings, { perDay, zone: query.zone }).map((row) => ({ json: row as unknown as IDataObject, pairedItem: { item: itemIndex } }));
}
