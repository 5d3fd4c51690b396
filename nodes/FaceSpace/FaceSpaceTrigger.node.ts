import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { PresenceTracker, type PresenceEvent, type PresenceEventName } from './core/presence';
import { FaceSpaceApiError, FaceSpaceClient, pause } from './transport';
import { Poller, savedPresence } from './trigger/poller';

/** How long "Listen for test event" waits for a real change before showing who is present. */
const MANUAL_WAIT_MS = 10_000;
const NO_RETRIES = { retries: 0, baseMs: 0, capMs: 0, maxRetryAfterMs: 0 };

const names = (text: unknown) =>
	String(text ?? '')
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '');

export class FaceSpaceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FaceSpace Trigger',
		name: 'faceSpaceTrigger',
		icon: { light: 'file:facespace.svg', dark: 'file:facespace.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "every " + $parameter["pollInterval"] + " s" }}',
		description: 'Starts the workflow when FaceSpace recognises a person arriving at or leaving a camera',
		defaults: { name: 'FaceSpace Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'faceSpaceApi', required: true }],
		properties: [
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 1,
				required: true,
				typeOptions: { minValue: 0.1, maxValue: 3600, numberPrecision: 1 },
				description: 'How often to ask FaceSpace who is on each camera, from 0.1 s to 3600 s',
				hint: 'Below 0.5 s this workflow alone asks FaceSpace several times a second: keep such rates for doors and alarms that need them',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['personArrived', 'personLeft'],
				options: [
					{ name: 'Person Arrived', value: 'personArrived', description: 'Someone is recognised on a camera' },
					{ name: 'Person Left', value: 'personLeft', description: 'Someone has not been recognised on a camera for the Leave After time' },
					{ name: 'Cameras Went Inactive', value: 'camerasInactive', description: 'FaceSpace reports that no camera is active' },
					{ name: 'Cameras Active Again', value: 'camerasActive', description: 'Cameras report again after being inactive' },
				],
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Cameras',
						name: 'cameras',
						type: 'string',
						default: '',
						placeholder: 'e.g. FrontDoor, Lobby',
						description: 'Only these cameras: exact IDs, separated by commas',
					},
					{
						displayName: 'People',
						name: 'people',
						type: 'string',
						default: '',
						placeholder: 'e.g. Alice Martin, Bob',
						description: 'Only these people, separated by commas (case does not matter)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Cooldown (Seconds)',
						name: 'cooldown',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0 },
						description: 'Do not announce the same person on the same camera again within this time',
					},
					{
						displayName: 'Emit',
						name: 'emit',
						type: 'options',
						default: 'perPoll',
						options: [
							{ name: 'One Execution per Poll', value: 'perPoll', description: 'All changes seen in one poll as items of one execution' },
							{ name: 'One Execution per Event', value: 'perEvent' },
						],
					},
					{
						displayName: 'Leave After (Seconds)',
						name: 'leaveAfter',
						type: 'number',
						default: 3,
						typeOptions: { minValue: 0 },
						description: 'How long a person must be missing before Person Left fires, so recognition flicker does not produce left/arrived pairs',
					},
					{
						displayName: 'On Start',
						name: 'onStart',
						type: 'options',
						default: 'silent',
						options: [
							{ name: 'Stay Silent About People Already Present', value: 'silent', description: 'Their departures are still announced' },
							{ name: 'Announce People Already Present', value: 'announce' },
						],
					},
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeout',
						type: 'number',
						default: 10,
						typeOptions: { minValue: 1 },
						description: 'How long to wait for one answer from FaceSpace',
					},
					{
						displayName: "Use n8n's HTTP Client",
						name: 'useN8nHttpClient',
						type: 'boolean',
						default: false,
						description: "Whether to poll through n8n's request helper (applies n8n's proxy settings; opens a new connection per poll) instead of one kept-alive connection",
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const intervalMs = Math.round((this.getNodeParameter('pollInterval', 1) as number) * 1000);
		if (!(intervalMs >= 100 && intervalMs <= 3_600_000)) {
			throw new NodeOperationError(this.getNode(), 'Poll Interval must be between 0.1 and 3600 seconds');
		}
		const events = new Set(this.getNodeParameter('events', []) as PresenceEventName[]);
		if (events.size === 0) throw new NodeOperationError(this.getNode(), 'Choose at least one event in Events');
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const cameras = names(filters.cameras);
		const people = names(filters.people).map((n) => n.toLowerCase());

		const client = await FaceSpaceClient.create(this, {
			sender: options.useN8nHttpClient === true ? 'n8n' : 'fetch',
			timeoutMs: ((options.timeout as number | undefined) ?? 10) * 1000,
			retry: NO_RETRIES,
		});
		const tracker = new PresenceTracker(
			{
				leaveAfterMs: ((options.leaveAfter as number | undefined) ?? 3) * 1000,
				cooldownMs: ((options.cooldown as number | undefined) ?? 0) * 1000,
				announceExisting: options.onStart === 'announce',
				cameras: cameras.length > 0 ? new Set(cameras) : undefined,
				people: people.length > 0 ? new Set(people) : undefined,
			},
			this.getMode() === 'manual' ? undefined : savedPresence(this.getWorkflowStaticData('node')),
		);
		const poller = new Poller(this, client, tracker, { intervalMs, events, perEvent: options.emit === 'perEvent' });
		const stop = new AbortController();

		// the first poll is the baseline; a rejected key or a wrong Base URL fails the activation
		const start = Date.now();
		let firstEvents: PresenceEvent[] | undefined;
		try {
			firstEvents = await poller.poll(stop.signal);
		} catch (error) {
			if (error instanceof FaceSpaceApiError && error.kind !== 'transient' && error.kind !== 'badAnswer') {
				throw new NodeOperationError(this.getNode(), error.message, { description: error.description ?? undefined });
			}
			this.logger.warn(`FaceSpace Trigger: the first poll failed, retrying: ${(error as Error).message}`);
		}

		if (this.getMode() === 'manual') {
			const manualTriggerFunction = async () => {
				const deadline = Date.now() + MANUAL_WAIT_MS;
				let found = firstEvents ?? [];
				while (found.length === 0 && Date.now() < deadline && !stop.signal.aborted) {
					if (await pause(Math.min(intervalMs, deadline - Date.now()), stop.signal)) return;
					found = await poller.poll(stop.signal);
				}
				if (stop.signal.aborted) return;
				if (found.length > 0) return poller.emit(found, this.emit);
				// nothing changed while listening: show who is there now, so the next node has data to map
				const present = tracker.present().map((p) => ({ json: { event: 'personPresent', ...p, sample: true, note: 'Sample: nobody arrived or left while listening, so these are the people on the cameras now' } }));
				this.emit([present.length > 0 ? present : [{ json: { event: 'sample', sample: true, note: 'Nobody arrived, left or is on a camera right now; real events look like personArrived and personLeft items' } }]]);
			};
			return { manualTriggerFunction, closeFunction: async () => stop.abort() };
		}

		if (firstEvents) poller.emit(firstEvents, this.emit);
		const running = poller.run(stop.signal, start).catch((error: Error) => this.logger.error(`FaceSpace Trigger stopped: ${error.message}`));
		return {
			closeFunction: async () => {
				stop.abort();
				await running;
			},
		};
	}
}
