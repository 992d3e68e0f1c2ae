/** An open socket as the session watch sees it. */
export interface WatchedSocket {
	readonly sessionId: string | null;
	close(code: number, reason: string): void;
}

/**
 * Session expiry closes that session's sockets promptly: every `everyMs` the sessions behind open
 * sockets are checked again (`liveSessions`, wired to the session store, without sliding them),
 * and the sockets of expired or deleted sessions close with `code`. Logout closes its sockets at
 * once anyway; this catches expiry and sessions removed by any other path. One check at a time:
 * a tick that finds one still running is skipped.
 */
export function watchSessions(opts: {
	everyMs: number;
	sockets: () => Iterable<WatchedSocket>;
	liveSessions(ids: string[]): Promise<Set<string>>;
	onError(what: string, err: unknown): void;
	code: number;
}) {
	let running: Promise<void> | null = null;
	/** A check asked for while one runs: it starts after that one (what it read may be stale). */
	let next: Promise<void> | null = null;

	const timer = setInterval(() => {
		if (!running) checkOnce().catch((err) => opts.onError('session check failed', err));
	}, opts.everyMs);
	timer.unref();

	/** Checks now (or right after the check under way); resolves once the sockets are closed. */
	function checkOnce(): Promise<void> {
		if (!running) {
			const run = check().finally(() => {
				if (running === run) running = null;
			});
			return (running = run);
		}
		return (next ??= running
			.catch(() => undefined)
			.then(() => {
				next = null;
				return checkOnce();
			}));
	}

	async function check() {
		const bySession = new Map<string, WatchedSocket[]>();
		for (const s of opts.sockets()) {
			if (!s.sessionId) continue;
			const list = bySession.get(s.sessionId) ?? [];
			list.push(s);
			bySession.set(s.sessionId, list);
		}
		if (bySession.size === 0) return;
		const live = await opts.liveSessions([...bySession.keys()]);
		for (const [id, list] of bySession)
			if (!live.has(id)) for (const s of list) s.close(opts.code, 'session expired; sign in again');
	}

	return { checkOnce, stop: () => clearInterval(timer) };
}
