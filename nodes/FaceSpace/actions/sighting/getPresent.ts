import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { FaceSpaceClient } from '../../transport';
import { cameraField, peopleFilter, readCamera, readPeople } from './shared';

export const description: INodeProperties[] = [cameraField(['getPresent']), peopleFilter(['getPresent'])];

export async function execute(this: IExecuteFunctions, itemIndex: number, client: FaceSpaceClient): Promise<INodeExecutionData[]> {
	const camera = readCamera(this, itemIndex);
	const { people, ignoreCase } = readPeople(this, itemIndex);
	const observation = await client.recognition();
	const pairedItem = { item: itemIndex };
	if (observation.kind === 'stop') {
		// "No cameras active" is a state, not a failure: say so in the output
		return [{ json: { camerasActive: false, message: observation.message, camera: null, people: [], count: 0 }, pairedItem }];
	}
	const wanted = (name: string) => people === undefined || people.has(ignoreCase ? name.toLowerCase() : name);
	// a camera asked for by name that FaceSpace does not list has nobody on it
	const cameras = camera === undefined ? Object.entries(observation.cameras) : [[camera, observation.cameras[camera] ?? []] as const];
	return cameras.map(([name, names]) => {
		const here = names.filter(wanted);
		return { json: { camerasActive: true, camera: name, people: here, count: here.length }, pairedItem };
	});
}
