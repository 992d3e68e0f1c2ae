import type { Db } from '../db/client';
import type * as Y from 'yjs';
import type { UserRow } from '../auth/sessions';
import type { LoginLimiter } from '../auth/login-limiter';
import type { ChatLimits } from './chats/chat-limits';
import type { Log } from '../ops/log';
import type { ErrorCode } from '../../src/lib/core/error-codes';
import type { Refusal, Result } from '../../src/lib/core/result';

export interface Config {
	sessionLifetimeMs: number;
	secureCookies: boolean;
	/** Accepted browser origin; null = the request's own host only. */
	origin: string | null;
	/** T3: how many chats a source, an email and everyone may start (README "Limits"). */
	chatLimits: ChatLimits;
	/** Reverse proxies in front of the server whose X-Forwarded-For is trusted; 0 = none. */
	trustProxy: number;
	/** Keys `chats.source_key` and the per-source limits (server/auth/source-key.ts). */
	sourceSecret: Buffer;
}

/**
 * The live documents as the verbs use them (the sync layer's registry fits it; services do not
 * import sync): server writes, reading a document, and the sockets on it.
 */
export interface LiveDocs {
	/** The server changes a document as `actor` (inside a decision: with it, broadcast after it). */
	change(name: string, actor: string, fn: (doc: Y.Doc) => void): void;
	/** A document's current content, loaded if needed. */
	get(name: string): { readonly doc: Y.Doc };
	/** Each socket on a loaded document: close it, or make it read-only. */
	forEachPeer(name: string, fn: (peer: { actor: string; mode: 'read' | 'write'; close(code: number, reason: string): void }) => void): void;
}

/** Everything a verb needs, passed in (never a module singleton): storage, live docs, clock. */
export interface Ctx {
	db: Db;
	docs: LiveDocs;
	now: () => number;
	config: Config;
	loginLimiter: LoginLimiter;
	/** The server's structured log (pino); an HTTP request's lines also carry its request id. */
	log: Log;
	/** Closes every socket of a session (set by the gateway). */
	closeSessionSockets: (sessionId: string) => void;
	/**
	 * Runs a state-changing verb as one decision: its facts, its audit event and its document
	 * changes in one transaction, broadcast after the commit (the outbox). Routes wrap each verb.
	 */
	decide<T>(run: () => T): T;
}

/** Who is asking: a signed-in user (by session) or a chat's customer (by its per-chat token). */
export type Identity =
	| { kind: 'user'; user: UserRow; sessionId: string }
	| { kind: 'customer'; chatId: string; customerId: string; name: string };

/** A refusal with one of the API's error codes, mapped to its HTTP status at the edge. */
export class DomainError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string,
		/** For a refusal past a limit: when to try again (the HTTP `Retry-After`). */
		readonly retryAfterSec?: number
	) {
		super(message);
	}
}

/** A refusal of the core becomes a DomainError at the service boundary. */
export function orThrow<T, C extends ErrorCode>(result: Result<T, C>): T {
	if (result.ok) return result.value;
	const r = result as Refusal<C>;
	throw new DomainError(r.code, r.message);
}
