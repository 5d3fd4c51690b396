// The trigger's loop: poll /recognition on a drift-free rhythm, turn snapshots into events, emit only changes.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { PresenceTracker, type PresenceEvent, type PresenceEventName, type SavedPresence } from '../core/presence';
import { backoffMs } from '../core/retry';
import { nextTick } from '../core/schedule';
import { FaceSpaceApiError, pause, type FaceSpaceClient } from '../transport';

export interface PollerSettings {
	intervalMs: number;
	events: Set<PresenceEventName>;
	perEvent: boolean;
}

/** With no camera active, poll at most this often until one comes back. */
export const STOPPED_INTERVAL_MS = 5000;
/** Consecutive failed polls before the trouble is reported (once). */
export const REPORT_AFTER_FAILURES = 5;
const FAILURE_BACKOFF = { baseMs: 1000, capMs: 30_000 };

type Emit = (data: INodeExecutionData[][]) => void;

export class Poller {
	private failures = 0;
	private reported = false;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly client: FaceSpaceClient,
		readonly tracker: PresenceTracker,
		private readonly settings: PollerSettings,
	) {}

	/** One poll: fetch, read, diff. Throws on any failure, leaving the presence state as it was. */
	async poll(signal: AbortSignal): Promise<PresenceEvent[]> {
		const observation = await this.client.recognition(signal);
		return this.tracker.observe(observation, Date.now()).filter((e) => this.settings.events.has(e.event));
	}

	/** Save the presence summary and start one execution (or one per event) for these events. */
	emit(events: PresenceEvent[], emit: Emit): void {
		if (events.length === 0) return;
		// assigned, not mutated: n8n notices the change and saves it with the execution
		this.ctx.getWorkflowStaticData('node').presence = this.tracker.save() as unknown as IDataObject;
		const items = events.map((e) => ({ json: e as unknown as IDataObject }));
		if (this.settings.perEvent) for (const item of items) emit([[item]]);
		else emit([items]);
	}

	/** Poll until the signal aborts. Never rejects: failures are retried with backoff and reported. */
	async run(signal: AbortSignal, start: number): Promise<void> {
		const { intervalMs } = this.settings;
		let lastDue = start;
		let notBefore = 0;
		while (!signal.aborted) {
			const due = nextTick(start, intervalMs, Math.max(Date.now(), lastDue, notBefore - 1));
			if (await pause(due - Date.now(), signal)) return;
			lastDue = due;
			try {
				const events = await this.poll(signal);
				this.recovered();
				this.emit(events, this.ctx.emit);
				notBefore = this.tracker.camerasInactive ? due + Math.max(intervalMs, STOPPED_INTERVAL_MS) : 0;
			} catch (error) {
				if (signal.aborted) return;
				if (error instanceof FaceSpaceApiError && (error.kind === 'auth' || error.kind === 'notFound' || error.kind === 'redirect')) {
					// a rejected key or a wrong Base URL needs a person: n8n deactivates and retries the activation
					this.ctx.emitError(error);
					return;
				}
				notBefore = Date.now() + this.failed(error as Error);
			}
		}
	}

	/** Count a failed poll; returns how long to back off. */
	private failed(error: Error): number {
		this.failures++;
		if (this.failures === REPORT_AFTER_FAILURES && !this.reported) {
			this.reported = true;
			const message = `FaceSpace Trigger: ${this.failures} polls in a row failed, still retrying: ${error.message}`;
			const saveFailed = (this.ctx as { saveFailedExecution?: (e: Error) => void }).saveFailedExecution;
			// n8n versions that can record a failed execution show it in the executions list
			if (typeof saveFailed === 'function') saveFailed.call(this.ctx, new NodeOperationError(this.ctx.getNode(), message, { description: (error as FaceSpaceApiError).description ?? undefined }));
			else this.ctx.logger.warn(message, { description: (error as FaceSpaceApiError).description });
		}
		const asked = error instanceof FaceSpaceApiError ? error.retryAfterMs : undefined;
		// one blip costs only the next tick; a run of failures backs off
		const backoff = this.failures === 1 ? 0 : backoffMs(this.failures - 2, FAILURE_BACKOFF);
		return Math.max(asked ?? 0, backoff);
	}

	private recovered(): void {
		if (this.failures === 0) return;
		if (this.reported) this.ctx.logger.info(`FaceSpace Trigger: polling works again after ${this.failures} failed polls`);
		this.failures = 0;
		this.reported = false;
	}
}

/** Saved presence from static data, if it has the shape a tracker can resume from. */
export function savedPresence(staticData: IDataObject): SavedPresence | undefined {
	const saved = staticData.presence as SavedPresence | undefined;
	return saved && typeof saved === 'object' && typeof saved.visits === 'object' && saved.visits !== null ? saved : undefined;
}
