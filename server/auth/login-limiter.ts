/** Counts failed sign-ins per key in a sliding window; past the limit, sign-in is refused. */
export class LoginLimiter {
	private readonly failures = new Map<string, number[]>();
	constructor(
		private readonly max = 10,
		private readonly windowMs = 5 * 60 * 1000
	) {}

	blocked(key: string, now: number): boolean {
		return this.recent(key, now).length >= this.max;
	}

	fail(key: string, now: number) {
		const list = this.recent(key, now);
		list.push(now);
		this.failures.set(key, list);
	}

	reset(key: string) {
		this.failures.delete(key);
	}

	private recent(key: string, now: number) {
		return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
	}
}
