// When to try a request again, and after how long.

export interface RetryPolicy {
	/** retries after the first attempt; the official client makes 3 */
	retries: number;
	/** backoff factor: the n-th retry waits about baseMs * 2^n */
	baseMs: number;
	/** no backoff wait is longer than this */
	capMs: number;
	/** a Retry-After longer than this is cut to it */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseMs: 1000, capMs: 30_000, maxRetryAfterMs: 60_000 };

/** What one attempt came to: an HTTP status, or a failure before any status. */
export type Outcome = { status: number } | { failure: 'timeout' | 'network' };

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

export function isTransient(outcome: Outcome): boolean {
	return 'failure' in outcome || TRANSIENT_STATUS.has(outcome.status);
}

/** Retry-After in milliseconds, from seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
	if (header === undefined) return undefined;
	const text = header.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with equal jitter: half fixed, half random, capped. */
export function backoffMs(retry: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
	const full = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
	return full / 2 + random() * (full / 2);
}

/**
 * How long to wait before retry number `retry` (0 for the first), or undefined to give up.
 * A Retry-After the server sent wins over the backoff, bounded by `maxRetryAfterMs`.
 */
export function retryDelay(
	retry: number,
	outcome: Outcome,
	retryAfter: string | undefined,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	now: number = Date.now(),
	random: () => number = Math.random,
): number | undefined {
	if (retry >= policy.retries || !isTransient(outcome)) return undefined;
	const asked = 'status' in outcome ? retryAfterMs(retryAfter, now) : undefined;
	if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
	return backoffMs(retry, policy, random);
}
