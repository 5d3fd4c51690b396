import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readRecognition } from '../core/presence';
import { logsShapeProblem } from '../core/sighting';
import { toWireQuery } from '../core/time';
import { FaceSpaceClient } from '../transport';

/** Cameras FaceSpace reports now; with no camera active, those in the last day's log. */
export async function searchCameras(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await FaceSpaceClient.create(this, { sender: 'n8n', retry: { retries: 1, baseMs: 500, capMs: 1000, maxRetryAfterMs: 2000 } });
	const now = readRecognition(await client.get('recognition'));
	let cameras = now.kind === 'snapshot' ? Object.keys(now.cameras) : [];
	if (cameras.length === 0) {
		const logs = await client.get('logs', toWireQuery({ startMs: Date.now() - 86_400_000 }));
		if (!logsShapeProblem(logs)) cameras = Object.keys(logs as object);
	}
	const wanted = filter?.trim().toLowerCase();
	return {
		results: cameras
			.filter((camera) => !wanted || camera.toLowerCase().includes(wanted))
			.sort((a, b) => a.localeCompare(b))
			.map((camera) => ({ name: camera, value: camera })),
	};
}
