import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { preparedFor } from '../db/prepared';
import { sessions, users } from '../db/schema';
import { generateToken, hashToken } from './tokens';

export type UserRow = typeof users.$inferSelect;
export interface SessionInfo {
	id: string;
	userId: string;
	expiresAt: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** A session's sliding lifetime (SESSION_DAYS, read by server/config.ts; 30 days by default). */
export function sessionLifetimeMs(days = 30): number {
	return days * DAY;
}

export function createSession(db: Db, userId: string, now: number, lifetime: number) {
	const token = generateToken();
	const session = { id: hashToken(token), userId, expiresAt: now + lifetime };
	db.insert(sessions).values(session).run();
	return { token, session };
}

/**
 * Sliding expiry: a session used in the second half of its life is extended to a full lifetime.
 * Returns null for unknown or expired tokens (expired rows are deleted).
 */
export function validateSession(db: Db, token: string, now: number, lifetime: number) {
	return validateSessionById(db, hashToken(token), now, lifetime);
}

// Every socket and request looks its session up: built once per database (see preparedFor).
const sessionQueries = preparedFor((db) => ({
	find: db
		.select({ session: sessions, user: users })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare(),
	remove: db.delete(sessions).where(eq(sessions.id, sql.placeholder('id'))).prepare(),
	extend: db
		.update(sessions)
		.set({ expiresAt: sql`${sql.placeholder('expiresAt')}` })
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare()
}));

/** validateSession for a token already hashed (a caller trying one token several ways hashes once). */
export function validateSessionById(db: Db, id: string, now: number, lifetime: number) {
	const q = sessionQueries(db);
	const row = q.find.get({ id });
	if (!row) return null;
	if (now >= row.session.expiresAt) {
		q.remove.run({ id });
		return null;
	}
	if (row.session.expiresAt - now < lifetime / 2) {
		row.session.expiresAt = now + lifetime;
		q.extend.run({ id, expiresAt: row.session.expiresAt });
	}
	return row as { session: SessionInfo; user: UserRow };
}

export function invalidateSession(db: Db, sessionId: string) {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/**
 * Which of these sessions are still valid at `now`, without sliding them: the gateway asks this
 * for the sessions behind open sockets, so an expired session loses its sockets (an open socket
 * alone must not keep a session alive). One prepared statement, the ids as one JSON array: the
 * gateway asks every second, and a query built with hundreds of placeholders each time stalled
 * every live chat for a moment.
 */
export function liveSessionIds(db: Db, ids: readonly string[], now: number): Set<string> {
	const rows = liveSessionQuery(db).all({ ids: JSON.stringify(ids), now });
	return new Set(rows.map((r) => r.id));
}

const liveSessionQuery = preparedFor((db) =>
	db
		.select({ id: sessions.id })
		.from(sessions)
		.where(
			and(
				sql`${sessions.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`,
				gt(sessions.expiresAt, sql.placeholder('now'))
			)
		)
		.prepare()
);
