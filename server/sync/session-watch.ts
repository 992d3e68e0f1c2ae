import type { Db } from '../db/client';
import { liveSessionIds } from '../auth/sessions';

/** An open socket as the session watch sees it. */
export interface WatchedSocket {
	readonly sessionId: string | null;
	close(code: number, reason: string): void;
}

/**
 * Session expiry closes that session's sockets promptly: every `everyMs` the sessions behind open
 * sockets are checked again (one query per 500 sessions, without sliding them), and the sockets
 * of expired or deleted sessions close with `code`. Logout closes its sockets at once anyway;
 * this catches expiry and sessions removed by any other path.
 */
export function watchSessions(opts: {
	db: Db;
	now: () => number;
	everyMs: number;
	sockets: () => Iterable<WatchedSocket>;
	code: number;
}) {
	const timer = setInterval(() => {
		try {
			checkOnce();
		} catch (err) {
			console.error('session check failed', err);
		}
	}, opts.everyMs);
	timer.unref();

	function checkOnce() {
		const bySession = new Map<string, WatchedSocket[]>();
		for (const s of opts.sockets()) {
			if (!s.sessionId) continue;
			const list = bySession.get(s.sessionId) ?? [];
			list.push(s);
			bySession.set(s.sessionId, list);
		}
		if (bySession.size === 0) return;
		const live = liveSessionIds(opts.db, [...bySession.keys()], opts.now());
		for (const [id, list] of bySession)
			if (!live.has(id)) for (const s of list) s.close(opts.code, 'session expired; sign in again');
	}

	return { checkOnce, stop: () => clearInterval(timer) };
}
