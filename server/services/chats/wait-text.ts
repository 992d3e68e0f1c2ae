const MINUTE = 60 * 1000;

/** A wait for people, rounded up: "10 minutes", "1 minute", "45 seconds" (limit refusals). */
export function waitText(ms: number): string {
	if (ms < MINUTE) {
		const s = Math.max(1, Math.ceil(ms / 1000));
		return `${s} second${s === 1 ? '' : 's'}`;
	}
	const m = Math.ceil(ms / MINUTE);
	return `${m} minute${m === 1 ? '' : 's'}`;
}
