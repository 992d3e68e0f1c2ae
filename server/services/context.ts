import type { Facts } from '../storage/facts';
import type { UpdateLog } from '../storage/update-log';
import type * as Y from 'yjs';
import type { UserRow } from '../auth/sessions';
import type { LoginLimiter } from '../auth/login-limiter';
import type { ChatLimits } from './chats/chat-limits';
import type { Log } from '../ops/log';
import type { ErrorCode } from '../../src/lib/core/error-codes';
import type { Refusal, Result } from '../../src/lib/core/result';
import type { UploadRef } from '../../src/lib/core/attachments';
import type { BlobStore } from '../storage/blobs';
import type { Mailer } from '../mail/mailer';
import type { AttachmentLimits } from './attachments/attachment-limits';

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
	/** B9: the largest upload, and how long an unreferenced one is kept (README "Attachments"). */
	attachments: AttachmentLimits;
	/** B8: past this wait without an agent, a customer may leave a message (QUEUE_GIVE_UP_SECONDS). */
	queue: { giveUpMs: number };
	/** B8: email to customers (SMTP_URL); null when no SMTP server is configured. */
	mail: Mailer | null;
}

/**
 * The live documents as the verbs use them (the sync layer's registry fits it; services do not
 * import sync): server writes, reading a document, and the sockets on it.
 */
export interface LiveDocs {
	/**
	 * The server changes a document as `actor` (loading it first if needed). Inside a decision it
	 * is part of the decision: logged in its transaction, broadcast after its commit.
	 */
	change(name: string, actor: string, fn: (doc: Y.Doc) => void): Promise<void>;
	/** A document's current content, loaded if needed. */
	get(name: string): Promise<{ readonly doc: Y.Doc }>;
	/** Each socket on a loaded document: close it, or make it read-only (after the decision's commit). */
	forEachPeer(name: string, fn: (peer: { actor: string; mode: 'read' | 'write'; close(code: number, reason: string): void }) => void): void;
	/** Closes `actor`'s sockets on a document on every instance (B5), after the decision's commit. */
	closeActor(name: string, actor: string, code: number, reason: string): void;
	/** Makes every socket on a document read-only on every instance (B5), after the decision's commit. */
	readOnly(name: string): void;
}

/** What main builds once and every request shares: storage, live documents, clock, log. */
export interface AppServices {
	/** The relational facts (outside a decision; inside one, the decision's transaction). */
	store: Facts;
	/** The update log of every document (the audit reads it). */
	updates: UpdateLog;
	docs: LiveDocs;
	/** B9: the contents of uploaded files, by attachment id. */
	blobs: BlobStore;
	/** B9: what the write policy knows of uploads (sync's KnownUploads fits it). */
	uploads: { add(upload: UploadRef): void; remove(chatId: string, id: string): void };
	/** The server's clock: ms since the epoch. */
	clock: () => number;
	/** A new unique id (for rows, messages and offers). */
	ids: () => string;
	/** The server's structured log (pino); an HTTP request's lines also carry its request id. */
	log: Log;
	config: Config;
	loginLimiter: LoginLimiter;
	/** Closes every socket of a session (set by the gateway). */
	closeSessionSockets: (sessionId: string) => void;
	/**
	 * Runs `run` as one decision (the outbox, ARCHITECTURE "Storage"): its facts (through the
	 * `store` it is given), its audit event and its document changes in one transaction, broadcast
	 * after the commit. Called inside a decision, `run` is part of that one.
	 */
	transact<T>(run: (store: Facts) => Promise<T>): Promise<T>;
}

/** Everything a verb needs, passed in (never a module singleton): who asks, and the services. */
export interface Ctx extends AppServices {
	/** Who is asking (null: nobody signed in). */
	actor: Identity | null;
	/** Runs `run` as one decision with this actor (see AppServices.transact). */
	decide<T>(run: (ctx: Ctx) => Promise<T>): Promise<T>;
}

/** A verb's one argument: `verb({ ctx, input })`. */
export type Call<I = undefined> = { ctx: Ctx } & (undefined extends I ? { input?: I } : { input: I });

/** The context of one request (or job) acting as `actor`, on `store` (a decision's, inside one). */
export function contextFor(app: AppServices, actor: Identity | null, store: Facts = app.store): Ctx {
	const ctx: Ctx = {
		...app,
		store,
		actor,
		decide: (run) => app.transact((tx) => run(contextFor(app, actor, tx)))
	};
	return ctx;
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
