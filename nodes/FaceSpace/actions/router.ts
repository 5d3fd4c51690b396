import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FaceSpaceClient } from '../transport';
import * as getMany from './sighting/getMany';
import * as getPresent from './sighting/getPresent';
import * as summarize from './sighting/summarize';

const operations = { getAll: getMany, getPresent, summarize } as const;

/** The error, as an n8n error that names the item it failed on. */
function forItem(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const client = await FaceSpaceClient.create(this, { sender: 'n8n' });
	const out: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const name = this.getNodeParameter('operation', itemIndex) as keyof typeof operations;
			const operation = operations[name];
			if (!operation) throw new NodeOperationError(this.getNode(), `The operation "${name}" is not known`, { itemIndex });
			const result = await operation.execute.call(this, itemIndex, client);
			for (const item of result) out.push(item);
		} catch (error) {
			if (this.continueOnFail()) {
				out.push({ json: { error: (error as Error).message, description: (error as NodeApiError).description ?? null }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw forItem(this, error, itemIndex);
		}
	}
	return [out];
}
