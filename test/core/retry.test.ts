import { backoffMs, DEFAULT_RETRY_POLICY, isTransient, retryAfterMs, retryDelay } from '../../nodes/FaceSpace/core/retry';

const NOW = Date.UTC(2026, 0, 1, 12);
const half = () => 0.5;

describe('retry policy', () => {
	it.each([
		[{ status: 429 }, true],
		[{ status: 500 }, true],
		[{ status: 502 }, true],
		[{ status: 503 }, true],
		[{ status: 504 }, true],
		[{ failure: 'timeout' as const }, true],
		[{ failure: 'network' as const }, true],
		[{ status: 400 }, false],
		[{ status: 401 }, false],
		[{ status: 403 }, false],
		[{ status: 404 }, false],
		[{ status: 501 }, false],
	])('%j transient: %s', (outcome, transient) => {
		expect(isTransient(outcome)).toBe(transient);
		expect(retryDelay(0, outcome, undefined, DEFAULT_RETRY_POLICY, NOW, half) !== undefined).toBe(transient);
	});

	it('backs off exponentially from 1 s with equal jitter, capped', () => {
		const policy = { baseMs: 1000, capMs: 5000 };
		expect([0, 1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 2500, 2500]);
		expect([0, 1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000]);
	});

	it('gives up after the configured number of retries (3, as the official client)', () => {
		const outcome = { status: 503 };
		expect([0, 1, 2, 3].map((n) => retryDelay(n, outcome, undefined, DEFAULT_RETRY_POLICY, NOW, half))).toEqual([750, 1500, 3000, undefined]);
	});

	it('honours Retry-After in seconds and as an HTTP date, bounded by the maximum', () => {
		expect(retryAfterMs('7', NOW)).toBe(7000);
		expect(retryAfterMs('1.5', NOW)).toBe(1500);
		expect(retryAfterMs(new Date(NOW + 12_000).toUTCString(), NOW)).toBe(12_000);
		expect(retryAfterMs(new Date(NOW - 12_000).toUTCString(), NOW)).toBe(0);
		expect(retryAfterMs('soon', NOW)).toBeUndefined();
		expect(retryAfterMs(undefined, NOW)).toBeUndefined();
		expect(retryDelay(0, { status: 429 }, '7', DEFAULT_RETRY_POLICY, NOW, half)).toBe(7000);
		expect(retryDelay(0, { status: 429 }, '3600', DEFAULT_RETRY_POLICY, NOW, half)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
		expect(retryDelay(0, { status: 429 }, 'soon', DEFAULT_RETRY_POLICY, NOW, half)).toBe(750);
	});
});
