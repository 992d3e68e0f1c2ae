import type Database from 'better-sqlite3';
import {
	SeqTakenError,
	type Checkpoint,
	type LoadedLog,
	type LogEntry,
	type LogRange,
	type LogRow
} from '../update-log';

// The SQLite log's statements, synchronous (better-sqlite3).
// The adapter (./update-log.ts) puts them behind the async port; a transaction (./storage.ts)
// calls them directly, inside its own BEGIN … COMMIT.

type Row = { seq: number; update: Buffer; actor: string; at: number };

/** A view of the bytes better-sqlite3 returned (no copy), as a plain Uint8Array. */
function bytes(b: Buffer): Uint8Array {
	return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function buffer(u: Uint8Array): Buffer {
	return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function isSeqTaken(err: unknown): boolean {
	return (err as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class SqliteLogStatements {
	private readonly q;
	/** better-sqlite3's transaction(): BEGIN/COMMIT, or a savepoint inside an open transaction. */
	private readonly appendAll: (rows: readonly LogRow[]) => void;

	constructor(sqlite: Database.Database) {
		this.q = {
			checkpoint: sqlite.prepare(
				'SELECT seq, state, at FROM doc_checkpoints WHERE doc = ? AND seq <= ? ORDER BY seq DESC LIMIT 1'
			),
			range: sqlite.prepare(
				'SELECT seq, "update", actor, at FROM doc_updates WHERE doc = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?'
			),
			lastSeq: sqlite.prepare('SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = ?'),
			append: sqlite.prepare('INSERT INTO doc_updates (doc, seq, "update", actor, at) VALUES (?, ?, ?, ?, ?)'),
			saveCheckpoint: sqlite.prepare(
				'INSERT OR REPLACE INTO doc_checkpoints (doc, seq, state, at) VALUES (?, ?, ?, ?)'
			),
			clients: sqlite.prepare('SELECT client_id AS clientId, actor FROM doc_clients WHERE doc = ?'),
			bindClient: sqlite.prepare('INSERT OR IGNORE INTO doc_clients (doc, client_id, actor) VALUES (?, ?, ?)')
		};
		this.appendAll = sqlite.transaction((rows: readonly LogRow[]) => {
			for (const r of rows) {
				for (const id of r.clientIds) this.q.bindClient.run(r.doc, id, r.actor);
				this.insert(r);
			}
		});
	}

	/** Appends the rows and binds their clientIDs, all or none (SeqTakenError for a taken seq). */
	append(rows: readonly LogRow[]): void {
		// A lone INSERT is its own (implicit) transaction: the same durability, one statement.
		if (rows.length === 1 && rows[0].clientIds.length === 0) this.insert(rows[0]);
		else this.appendAll(rows);
	}

	private insert(r: LogRow) {
		try {
			this.q.append.run(r.doc, r.seq, buffer(r.update), r.actor, r.at);
		} catch (err) {
			throw isSeqTaken(err) ? new SeqTakenError(r.doc, r.seq, { cause: err }) : err;
		}
	}

	load(doc: string): LoadedLog {
		const cp = this.loadCheckpoint(doc);
		const after = cp?.seq ?? 0;
		const updates = this.readRange(doc, { after }).map(({ seq, update, at }) => ({ seq, update, at }));
		const clients = this.readClients(doc);
		return {
			checkpoint: cp ? { seq: cp.seq, state: cp.state } : null,
			updates,
			clients,
			lastSeq: Math.max(updates.at(-1)?.seq ?? 0, after)
		};
	}

	loadCheckpoint(doc: string, atOrBelow = Number.MAX_SAFE_INTEGER): Checkpoint | null {
		const r = this.q.checkpoint.get(doc, atOrBelow) as { seq: number; state: Buffer; at: number } | undefined;
		return r ? { seq: r.seq, state: bytes(r.state), at: r.at } : null;
	}

	readRange(doc: string, range: LogRange = {}): LogEntry[] {
		const rows = this.q.range.all(
			doc,
			range.after ?? Number.MIN_SAFE_INTEGER,
			range.upTo ?? Number.MAX_SAFE_INTEGER,
			range.limit ?? -1 // SQLite: a negative LIMIT is no limit
		) as Row[];
		return rows.map((r) => ({ seq: r.seq, update: bytes(r.update), actor: r.actor, at: r.at }));
	}

	readClients(doc: string): Map<number, string> {
		const clients = new Map<number, string>();
		for (const r of this.q.clients.all(doc) as { clientId: number; actor: string }[]) clients.set(r.clientId, r.actor);
		return clients;
	}

	lastSeq(doc: string): number {
		return (this.q.lastSeq.get(doc) as { seq: number | null }).seq ?? 0;
	}

	bindClient(doc: string, clientId: number, actor: string): void {
		this.q.bindClient.run(doc, clientId, actor);
	}

	saveCheckpoint(doc: string, seq: number, state: Uint8Array, at: number): void {
		this.q.saveCheckpoint.run(doc, seq, buffer(state), at);
	}
}
