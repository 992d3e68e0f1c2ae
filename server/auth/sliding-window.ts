/**
 * Events per key in a sliding window: at most `max` within `windowMs`. Only admitted events are
 * kept, so a key holds at most `max` times; keys whose events have all aged out are dropped now
 * and then, so a stream of new keys (addresses, emails) cannot grow memory without end.
 */
export class SlidingWindow {
	private readonly events = new Map<string, number[]>();
	private sincePrune = 0;

	constructor(
		readonly max: number,
		readonly windowMs: number
	) {}

	/** Milliseconds until one more event is allowed for `key`; 0 when it is allowed now. */
	waitMs(key: string, now: number): number {
		const list = this.recent(key, now);
		if (list.length < this.max) return 0;
		return list[list.length - this.max] + this.windowMs - now;
	}

	record(key: string, now: number) {
		const list = this.recent(key, now);
		list.push(now);
		this.events.set(key, list.slice(-this.max));
		if (++this.sincePrune >= 1024) this.prune(now);
	}

	/** Takes back one event recorded at `at` (an attempt that turned out not to count). */
	remove(key: string, at: number) {
		const list = this.events.get(key);
		const i = list?.lastIndexOf(at) ?? -1;
		if (list && i >= 0) list.splice(i, 1);
	}

	clear(key: string) {
		this.events.delete(key);
	}

	private recent(key: string, now: number): number[] {
		return (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
	}

	private prune(now: number) {
		this.sincePrune = 0;
		for (const [key, list] of this.events) if (!list.some((t) => now - t < this.windowMs)) this.events.delete(key);
	}
}
