import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { toWireQuery } from '../core/time';
import { FaceSpaceClient } from '../transport';

/** Cameras FaceSpace reports now; with no camera active, those in the last day's log. */
export async function searchCameras(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const client = await FaceSpaceClient.create(this, { sender: 'n8n', retry: { retries: 1, baseMs: 500, capMs: 1000, maxRetryAfterMs: 2000 } });
	const now = await client.recognition();
	let cameras = now.kind === 'snapshot' ? Object.keys(now.cameras) : [];
	if (cameras.length === 0) cameras = Object.keys(await client.logs(toWireQuery({ startMs: Date.now() - 86_400_000 })));
	const wanted = filter?.trim().toLowerCase();
	return {
		results: cameras
			.filter((camera) => !wanted || camera.toLowerCase().includes(wanted))
			.sort((a, b) => a.localeCompare(b))
			.map((camera) => ({ name: camera, value: camera })),
	};
}
