// Every FaceSpace request of both nodes: one GET path, two senders, one set of rules for
// retries, timeouts, errors and where the API key may go.
import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	ITriggerFunctions,
	JsonObject,
} from 'n8n-workflow';

import { readRecognition, type Observation } from '../core/presence';
import { DEFAULT_RETRY_POLICY, retryDelay, retryAfterMs, type Outcome, type RetryPolicy } from '../core/retry';
import { logsShapeProblem, type LogsAnswer } from '../core/sighting';

export const CREDENTIAL = 'faceSpaceApi';
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;

export type FaceSpaceContext = IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions;
export type Endpoint = 'logs' | 'recognition';
/** `n8n`: n8n's request helper (proxy settings, request logging); `fetch`: Node's fetch over a kept-alive connection */
export type SenderName = 'n8n' | 'fetch';

export interface ClientOptions {
	sender: SenderName;
	timeoutMs?: number;
	retry?: RetryPolicy;
}

/** Why a request failed, for callers that act on it (the trigger backs off on `transient`). */
export type FailureKind = 'auth' | 'notFound' | 'transient' | 'badAnswer' | 'rejected' | 'redirect' | 'aborted';

export class FaceSpaceApiError extends NodeApiError {
	constructor(
		node: INode,
		readonly kind: FailureKind,
		message: string,
		description: string,
		httpCode?: number,
		/** how long the server asked us to wait (429 / 503 Retry-After) */
		readonly retryAfterMs?: number,
	) {
		super(node, { message, ...(httpCode ? { httpCode: String(httpCode) } : {}) } as JsonObject, {
			message,
			description,
			httpCode: httpCode ? String(httpCode) : undefined,
		});
	}
}

interface WireResponse {
	status: number;
	header: (name: string) => string | undefined;
	body: string;
}

type WireFailure = { failure: 'timeout' | 'network' | 'aborted'; code?: string };

type Sender = (url: string, signal: AbortSignal | undefined) => Promise<WireResponse | WireFailure>;

/** Wait `ms`, waking at once when `signal` aborts; true when it was woken. */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
	if (signal?.aborted) return true;
	if (ms <= 0) return false;
	const sleepWithAbort = (n8nWorkflow as { sleepWithAbort?: typeof n8nWorkflow.sleepWithAbort }).sleepWithAbort;
	if (!signal) {
		await n8nWorkflow.sleep(ms);
		return false;
	}
	if (typeof sleepWithAbort !== 'function') {
		// n8n before sleepWithAbort: short naps, so a close still lands within a quarter second
		for (let left = ms; left > 0 && !signal.aborted; left -= 250) await n8nWorkflow.sleep(Math.min(250, left));
		return signal.aborted;
	}
	// a fresh signal per wait: sleepWithAbort never removes its abort listener, so waits on one
	// long-lived signal would pile up listeners for as long as the trigger runs
	const waker = new AbortController();
	const wake = () => waker.abort();
	signal.addEventListener('abort', wake, { once: true });
	try {
		await sleepWithAbort(ms, waker.signal);
		return false;
	} catch {
		// sleepWithAbort rejects only when woken
		return true;
	} finally {
		signal.removeEventListener('abort', wake);
	}
}

function fetchSender(apiKey: string, timeoutMs: number): Sender {
	return async (url, signal) => {
		const request = new AbortController();
		const onAbort = () => request.abort();
		signal?.addEventListener('abort', onAbort, { once: true });
		// Node's own timeout signal: unref'd, so it never keeps n8n running, and cheaper than a cancellable timer
		const timeout = AbortSignal.timeout(timeoutMs);
		const onTimeout = () => request.abort();
		timeout.addEventListener('abort', onTimeout, { once: true });
		try {
			// redirects are followed by hand, so the key never leaves the base URL's origin
			const response = await fetch(url, {
				headers: { 'x-api-key': apiKey, accept: 'application/json' },
				redirect: 'manual',
				signal: request.signal,
			});
			const body = await response.text();
			return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, body };
		} catch (error) {
			if (signal?.aborted) return { failure: 'aborted' };
			if (timeout.aborted) return { failure: 'timeout' };
			const cause = (error as { cause?: { code?: string } }).cause;
			return { failure: 'network', code: cause?.code };
		} finally {
			signal?.removeEventListener('abort', onAbort);
			timeout.removeEventListener('abort', onTimeout);
		}
	};
}

function n8nSender(ctx: FaceSpaceContext, timeoutMs: number): Sender {
	return async (url, signal) => {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url,
			headers: { accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// redirects are followed by hand, so the key never leaves the base URL's origin
			disableFollowRedirect: true,
			encoding: 'text',
			json: false,
			timeout: timeoutMs,
			...(signal ? { abortSignal: signal } : {}),
		};
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL, options)) as {
				statusCode: number;
				headers: Record<string, string | string[] | undefined>;
				body: unknown;
			};
			const headers = response.headers ?? {};
			const body = response.body;
			return {
				status: response.statusCode,
				header: (name) => {
					const value = headers[name.toLowerCase()];
					return Array.isArray(value) ? value[0] : value;
				},
				body: typeof body === 'string' ? body : body === undefined || body === null ? '' : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body),
			};
		} catch (error) {
			if (signal?.aborted) return { failure: 'aborted' };
			// n8n's helper wraps the socket error in a NodeApiError whose httpCode is the error code
			const wrapped = error as { httpCode?: unknown; cause?: { code?: unknown }; code?: unknown };
			const found = [wrapped.httpCode, wrapped.cause?.code, wrapped.code].find((c) => typeof c === 'string' && /^E[A-Z_]+$/.test(c));
			const code = found as string | undefined;
			return { failure: code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timeout' : 'network', code };
		}
	};
}

function describeContentType(contentType: string | undefined, body: string): string {
	if (body.trim() === '') return 'an empty body';
	return contentType ? contentType.split(';')[0].trim() : 'a body without a content type';
}

/** The error text a FaceSpace answer carries, if it is the service's `{"error": "..."}`. */
function serviceMessage(body: string): string | undefined {
	try {
		const parsed = JSON.parse(body) as { error?: unknown };
		return typeof parsed?.error === 'string' ? parsed.error : undefined;
	} catch {
		return undefined;
	}
}

export class FaceSpaceClient {
	private readonly send: Sender;
	private readonly retry: RetryPolicy;
	private readonly timeoutMs: number;
	private readonly origin: string;

	private constructor(
		private readonly ctx: FaceSpaceContext,
		readonly baseUrl: string,
		private readonly apiKey: string,
		options: ClientOptions,
	) {
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
		this.send = options.sender === 'fetch' ? fetchSender(apiKey, this.timeoutMs) : n8nSender(ctx, this.timeoutMs);
		this.origin = new URL(baseUrl).origin;
	}

	/** A client for the node's FaceSpace credential; the credential is read once. */
	static async create(ctx: FaceSpaceContext, options: ClientOptions): Promise<FaceSpaceClient> {
		const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(CREDENTIAL);
		const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		let parsed: URL | undefined;
		try {
			parsed = new URL(baseUrl);
		} catch {
			parsed = undefined;
		}
		if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
			throw new NodeOperationError(ctx.getNode(), `The Base URL "${baseUrl}" of the FaceSpace credential is not an http(s) URL`, {
				description: 'Use the default https://visionapi.automa.one/facespace unless your account lives elsewhere',
			});
		}
		const apiKey = String(credentials.apiKey ?? '');
		if (apiKey === '') throw new NodeOperationError(ctx.getNode(), 'The FaceSpace credential has no API Key: add the key FaceSpace gave your account');
		return new FaceSpaceClient(ctx, baseUrl, apiKey, options);
	}

	url(endpoint: Endpoint, query: Record<string, string | undefined> = {}): string {
		const search = new URLSearchParams();
		for (const name in query) if (query[name] !== undefined) search.set(name, query[name] as string);
		const qs = search.size > 0 ? `?${search.toString()}` : '';
		return `${this.baseUrl}/${endpoint}${qs}`;
	}

	/** The parsed JSON of GET {baseUrl}/{endpoint}, after retries; a FaceSpaceApiError otherwise. */
	async get(endpoint: Endpoint, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<unknown> {
		let url = this.url(endpoint, query);
		let redirects = 0;
		let retry = 0;
		for (;;) {
			const answer = await this.send(url, signal);
			let outcome: Outcome;
			let retryAfter: string | undefined;
			if ('failure' in answer) {
				if (answer.failure === 'aborted') throw this.fail('aborted', `The request to ${url} was cancelled`, 'The workflow or trigger was stopped');
				outcome = { failure: answer.failure };
			} else if (answer.status >= 300 && answer.status < 400 && answer.header('location')) {
				url = this.redirectTarget(answer, url, ++redirects);
				continue;
			} else if (answer.status >= 200 && answer.status < 300) {
				return this.parse(answer, url, endpoint);
			} else {
				outcome = { status: answer.status };
				retryAfter = answer.header('retry-after');
			}
			const delay = retryDelay(retry, outcome, retryAfter, this.retry);
			if (delay === undefined) throw this.failure(answer, url, retry + 1);
			retry++;
			if (await pause(delay, signal)) throw this.fail('aborted', `The request to ${url} was cancelled`, 'The workflow or trigger was stopped');
		}
	}

	/** Where a redirect within the Base URL's origin leads; any other origin is refused, so the key stays home. */
	private redirectTarget(answer: WireResponse, url: string, redirects: number): string {
		const target = new URL(answer.header('location') as string, url);
		if (target.origin !== this.origin) {
			throw this.fail(
				'redirect',
				`FaceSpace at ${this.origin} redirected to another origin, ${target.origin}; the API key is only sent to the Base URL's origin`,
				`If FaceSpace has moved, set the Base URL of the FaceSpace credential to the new address (redirect to ${target.origin}${target.pathname})`,
				answer.status,
			);
		}
		if (redirects > MAX_REDIRECTS) throw this.fail('redirect', `FaceSpace redirected more than ${MAX_REDIRECTS} times from ${url}`, 'Check the Base URL', answer.status);
		return target.toString();
	}

	/** Who is on each camera now, or the stop signal; an answer of another shape is a `badAnswer` error. */
	async recognition(signal?: AbortSignal): Promise<Observation> {
		const observation = readRecognition(await this.get('recognition', {}, signal));
		if (observation.kind === 'malformed') throw this.unexpected('recognition', observation.problem);
		return observation;
	}

	/** The sighting log for a wire query; an answer of another shape is a `badAnswer` error. */
	async logs(query: Record<string, string | undefined>): Promise<LogsAnswer> {
		const answer = await this.get('logs', query);
		const problem = logsShapeProblem(answer);
		if (problem) throw this.unexpected('logs', problem);
		return answer as LogsAnswer;
	}

	private unexpected(endpoint: Endpoint, problem: string): FaceSpaceApiError {
		return this.fail('badAnswer', `FaceSpace sent an unexpected answer from GET /${endpoint}: ${problem}`, 'Check that the Base URL of the FaceSpace credential points at the FaceSpace API');
	}

	private parse(answer: WireResponse, url: string, endpoint: Endpoint): unknown {
		try {
			return JSON.parse(answer.body);
		} catch {
			const type = describeContentType(answer.header('content-type'), answer.body);
			if (!/json/i.test(type)) {
				throw this.fail(
					'badAnswer',
					`Expected JSON from FaceSpace, got ${type} from ${url}`,
					'A proxy, gateway or login page may be answering instead of FaceSpace: check the Base URL of the FaceSpace credential',
					answer.status,
				);
			}
			throw this.fail('badAnswer', `FaceSpace sent malformed JSON from GET /${endpoint}`, `The answer from ${url} could not be read as JSON (${answer.body.length} characters); it may have been cut off`, answer.status);
		}
	}

	private failure(answer: WireResponse | WireFailure, url: string, attempts: number): FaceSpaceApiError {
		const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
		if ('failure' in answer) {
			if (answer.failure === 'timeout') {
				return this.fail('transient', `No answer from FaceSpace within ${this.timeoutMs / 1000} s${tries}`, `GET ${url} timed out: check the network, or raise the timeout`);
			}
			return this.fail('transient', `Could not reach FaceSpace${tries}`, `GET ${url} failed${answer.code ? ` (${answer.code})` : ''}: check the Base URL of the FaceSpace credential and the network`);
		}
		const { status } = answer;
		const said = serviceMessage(answer.body);
		const fromService = said ? `FaceSpace said: ${said}` : `FaceSpace answered ${status} with ${describeContentType(answer.header('content-type'), answer.body)}`;
		if (status === 401 || status === 403) {
			return this.fail('auth', `The API key was rejected (${status}): check the FaceSpace credential`, fromService, status);
		}
		if (status === 404) {
			return this.fail('notFound', `No FaceSpace API at ${url.split('?')[0]} (404): check the Base URL of the FaceSpace credential`, fromService, status);
		}
		const wait = retryAfterMs(answer.header('retry-after'), Date.now());
		if (status === 429) return this.fail('transient', `FaceSpace is limiting requests (429)${tries}`, `${fromService}. Poll less often or try again later.`, status, wait);
		if (status >= 500) return this.fail('transient', `FaceSpace failed with ${status}${tries}`, `${fromService}. The service or a gateway in front of it is having trouble; try again later.`, status, wait);
		return this.fail('rejected', `FaceSpace refused the request (${status})${said ? `: ${said}` : ''}`, `GET ${url}`, status);
	}

	private fail(kind: FailureKind, message: string, description: string, status?: number, retryAfter?: number): FaceSpaceApiError {
		// a server that echoes the key must not put it into n8n's error output
		const redact = (text: string) => (this.apiKey.length >= 4 ? text.split(this.apiKey).join('***') : text);
		return new FaceSpaceApiError(this.ctx.getNode(), kind, redact(message), redact(description), status, retryAfter);
	}
}
