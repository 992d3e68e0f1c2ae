// When the server received each recent element of one document (T1). The write policy lets a
// new message land before elements its writer could not have seen yet (appended by others at
// about the same time, or while it was offline), never before older history: this remembers
// which elements are recent enough to be such, and forgets them after the window.

interface Range {
	from: number; // clock, inclusive
	to: number; // clock, exclusive
	at: number; // server time it was received (ms since epoch)
}

export class RecentAppends {
	private readonly byClient = new Map<number, Range[]>();
	private notes = 0;

	constructor(private readonly windowMs: number) {}

	/** Elements [from, to) of `client` were received at `at`. */
	note(client: number, from: number, to: number, at: number) {
		if (to <= from) return;
		const list = this.byClient.get(client) ?? [];
		const last = list[list.length - 1];
		if (last && last.to === from && last.at === at) last.to = to;
		else list.push({ from, to, at });
		this.byClient.set(client, list);
		if (++this.notes % 64 === 0) this.prune(at);
	}

	/**
	 * When the elements [from, to) of `client` were received (the earliest, if in parts), or null
	 * when any of them is older than the window or unknown.
	 */
	receivedAt(client: number, from: number, to: number, now: number): number | null {
		const list = this.byClient.get(client);
		if (!list) return null;
		let earliest = Infinity;
		let clock = from;
		for (const r of list) {
			if (r.to <= clock) continue;
			if (r.from > clock || now - r.at > this.windowMs) return null;
			earliest = Math.min(earliest, r.at);
			clock = r.to;
			if (clock >= to) return earliest;
		}
		return null;
	}

	/** Forgets what is older than the window. */
	prune(now: number) {
		for (const [client, list] of this.byClient) {
			let i = 0;
			while (i < list.length && now - list[i].at > this.windowMs) i++;
			if (i === list.length) this.byClient.delete(client);
			else if (i > 0) list.splice(0, i);
		}
	}
}
