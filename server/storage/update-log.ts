import type { SQL } from 'drizzle-orm';
import type { Facts } from './facts';

// The update-log port: the authority's only way to the log of every accepted update (A1) and its
// checkpoints. Async, so that SQLite (./sqlite) and PostgreSQL (./postgres) fit behind it alike;
// the same contract suite (tests/storage/) runs against both. The live documents (server/sync)
// and the audit read and write the log through it only.

/** A document as stored: its latest checkpoint, the updates after it, who owns which clientID. */
export interface LoadedLog {
	checkpoint: { seq: number; state: Uint8Array } | null;
	updates: { seq: number; update: Uint8Array; at: number }[];
	clients: Map<number, string>;
	/** The seq of the last update (or of the checkpoint, whichever is higher); 0 when empty. */
	lastSeq: number;
}

/** One update to append: which document, at which seq, by whom, and the clientIDs it binds. */
export interface LogRow {
	doc: string;
	seq: number;
	update: Uint8Array;
	actor: string;
	at: number;
	/** ClientIDs first seen in this update: bound to `actor` in the same transaction as the row. */
	clientIds: readonly number[];
}

/** One stored update, as the audit reads it (A1: in order, with who and when). */
export interface LogEntry {
	seq: number;
	update: Uint8Array;
	actor: string;
	at: number;
}

/** The whole state of a document at a seq. */
export interface Checkpoint {
	seq: number;
	state: Uint8Array;
	at: number;
}

/** Which part of a document's log to read: seqs in (after, upTo], at most `limit` of them. */
export interface LogRange {
	after?: number;
	upTo?: number;
	limit?: number;
}

/**
 * A (doc, seq) that is taken already: another writer got there first (or a batch named it twice).
 * The batch it was in stored nothing. `doc` and `seq` name the row when the store says which.
 */
export class SeqTakenError extends Error {
	readonly code = 'SEQ_TAKEN';
	constructor(
		readonly doc?: string,
		readonly seq?: number,
		options?: { cause?: unknown }
	) {
		super(doc === undefined ? 'a seq in the batch is taken' : `seq ${seq} of ${doc} is taken`, options);
		this.name = 'SeqTakenError';
	}
}

/** What can be written to the log, also inside a transaction (StoreTx.log). */
export interface UpdateLogWriter {
	/**
	 * Appends the rows (of one or several documents) and binds their clientIDs in ONE transaction:
	 * all or none. A (doc, seq) that is taken fails the whole batch with a SeqTakenError.
	 */
	append(rows: readonly LogRow[]): Promise<void>;
	/** Binds a clientID to an actor in a document; a clientID bound already keeps its owner. */
	bindClient(doc: string, clientId: number, actor: string): Promise<void>;
	/** Stores the state at a seq; saving the same (doc, seq) again replaces it. */
	saveCheckpoint(doc: string, seq: number, state: Uint8Array, at: number): Promise<void>;
}

/** The update log: written through UpdateLogWriter, read by the live documents and the audit. */
export interface UpdateLog extends UpdateLogWriter {
	/** Latest checkpoint + the updates after it + clientID owners + last seq. */
	load(doc: string): Promise<LoadedLog>;
	/** The latest checkpoint, or the latest at or below `atOrBelow` (audit replay at a seq). */
	loadCheckpoint(doc: string, atOrBelow?: number): Promise<Checkpoint | null>;
	/** The updates in a range, in seq order. */
	readRange(doc: string, range?: LogRange): Promise<LogEntry[]>;
	/** The seq of the document's last update; 0 when it has none. */
	lastSeq(doc: string): Promise<number>;
	/**
	 * Who owns which clientID in the document (what `load` returns as `clients`): an instance
	 * catching up on what another one appended (B5) learns the bindings that came with it.
	 */
	readClients(doc: string): Promise<Map<number, string>>;
}

/**
 * One transaction: the log's writes and plain SQL (a drizzle `sql` template, rendered for the
 * store's dialect) commit together or not at all. This is what the outbox needs: a decision, its
 * audit event and its document changes in one commit.
 */
export interface StoreTx {
	log: UpdateLogWriter;
	/** The relational facts, inside this transaction. */
	facts: Facts;
	/** Runs a statement; resolves to the number of rows it changed. */
	run(query: SQL): Promise<number>;
	/** Runs a query; resolves to its rows (column names as the query names them). */
	all<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
}

/** A store behind the port: the log, transactions over it and the other tables, and its end. */
export interface StoragePort {
	readonly dialect: 'sqlite' | 'postgres';
	log: UpdateLog;
	/** The relational facts outside any transaction (reads; a write here commits on its own). */
	facts: Facts;
	/**
	 * Runs `fn` in one transaction: committed when it resolves, rolled back whole when it throws
	 * (the error is passed on). Inside `fn`, write through `tx` only: on SQLite, `this.log` waits
	 * for the transaction to end (a deadlock if awaited inside it); on PostgreSQL it is another
	 * connection, outside the transaction. The tx refuses work once `fn` has settled.
	 */
	transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}
