// A drift-free poll rhythm: poll k is due at start + k × interval, whatever each poll costs.

/**
 * The first tick of the grid `start + k × intervalMs` (k ≥ 1) strictly after `after`.
 * Ticks a slow poll overran are skipped, never run in a burst.
 */
export function nextTick(start: number, intervalMs: number, after: number): number {
	const k = Math.max(1, Math.floor((after - start) / intervalMs) + 1);
	return start + k * intervalMs;
}
