import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import * as getMany from './actions/sighting/getMany';
import * as getPresent from './actions/sighting/getPresent';
import * as summarize from './actions/sighting/summarize';
import { searchCameras } from './methods/listSearch';

export class FaceSpace implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FaceSpace',
		name: 'faceSpace',
		icon: { light: 'file:facespace.svg', dark: 'file:facespace.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ { getAll: "Get many sightings", getPresent: "Who is present now", summarize: "Summarize attendance" }[$parameter["operation"]] }}',
		description: 'Ask FaceSpace face recognition who was seen where and when, and who is on each camera now',
		defaults: { name: 'FaceSpace' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'faceSpaceApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Sighting', value: 'sighting', description: 'A person recognised on a camera at a moment' }],
				default: 'sighting',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['sighting'] } },
				options: [
					{
						name: 'Get Many',
						value: 'getAll',
						action: 'Get many sightings',
						description: 'Sightings between two instants, from the recognition log',
					},
					{
						name: 'Get Present',
						value: 'getPresent',
						action: 'Get who is present now',
						description: 'Who is recognised on each camera at this moment',
					},
					{
						name: 'Summarize',
						value: 'summarize',
						action: 'Summarize attendance',
						description: 'First and last sighting of each person in a range, optionally per day',
					},
				],
				default: 'getAll',
			},
			...getMany.description,
			...getPresent.description,
			...summarize.description,
		],
	};

	methods = { listSearch: { searchCameras } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
