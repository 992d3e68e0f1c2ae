import type Database from 'better-sqlite3';
import type { LoadedLog, LogRow } from '../storage/update-log';

// A1 and durability: the append-only, attributed log of every accepted update, plus
// checkpoints (state at a seq) beside it. The log itself is never rewritten or compacted.
// Prepared statements on the raw connection: this is the hot path of every message. Its shapes
// are the storage port's (server/storage/update-log.ts), which this synchronous log will give
// way to when the live documents move onto the port.
export type { LoadedLog, LogRow };

export class UpdateLog {
	private readonly q;

	constructor(private readonly sqlite: Database.Database) {
		this.q = {
			checkpoint: sqlite.prepare(
				'SELECT seq, state FROM doc_checkpoints WHERE doc = ? ORDER BY seq DESC LIMIT 1'
			),
			updatesAfter: sqlite.prepare('SELECT seq, "update", at FROM doc_updates WHERE doc = ? AND seq > ? ORDER BY seq'),
			lastSeq: sqlite.prepare('SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = ?'),
			append: sqlite.prepare('INSERT INTO doc_updates (doc, seq, "update", actor, at) VALUES (?, ?, ?, ?, ?)'),
			saveCheckpoint: sqlite.prepare(
				'INSERT OR REPLACE INTO doc_checkpoints (doc, seq, state, at) VALUES (?, ?, ?, ?)'
			),
			clients: sqlite.prepare('SELECT client_id AS clientId, actor FROM doc_clients WHERE doc = ?'),
			bindClient: sqlite.prepare('INSERT OR IGNORE INTO doc_clients (doc, client_id, actor) VALUES (?, ?, ?)')
		};
		// Built once: better-sqlite3's transaction() wraps a function (BEGIN/COMMIT, savepoints when nested).
		this.appendAll = sqlite.transaction((rows: readonly LogRow[]) => {
			for (const r of rows) {
				for (const id of r.clientIds) this.q.bindClient.run(r.doc, id, r.actor);
				this.append(r.doc, r.seq, r.update, r.actor, r.at);
			}
		});
	}

	load(doc: string): LoadedLog {
		const cp = this.q.checkpoint.get(doc) as { seq: number; state: Buffer } | undefined;
		const after = cp?.seq ?? 0;
		const updates = (this.q.updatesAfter.all(doc, after) as { seq: number; update: Buffer; at: number }[]).map(
			(r) => ({ seq: r.seq, update: new Uint8Array(r.update), at: r.at })
		);
		const clients = new Map<number, string>();
		for (const r of this.q.clients.all(doc) as { clientId: number; actor: string }[])
			clients.set(r.clientId, r.actor);
		const last = (this.q.lastSeq.get(doc) as { seq: number | null }).seq ?? 0;
		return {
			checkpoint: cp ? { seq: cp.seq, state: new Uint8Array(cp.state) } : null,
			updates,
			clients,
			lastSeq: Math.max(last, after)
		};
	}

	/** Appends one update; throws if the seq is taken (two writers on one document). */
	append(doc: string, seq: number, update: Uint8Array, actor: string, at: number): void {
		this.q.append.run(doc, seq, Buffer.from(update.buffer, update.byteOffset, update.byteLength), actor, at);
	}

	/** Appends an update and binds new clientIDs in one transaction. */
	readonly appendWithClients = (
		doc: string,
		seq: number,
		update: Uint8Array,
		actor: string,
		at: number,
		clientIds: readonly number[]
	) => {
		// A lone INSERT is its own (implicit) transaction: the same durability, one statement.
		if (clientIds.length === 0) this.append(doc, seq, update, actor, at);
		else this.appendAll([{ doc, seq, update, actor, at, clientIds }]);
	};

	/** Appends several updates (each with its new clientIDs) in ONE transaction: all or none. */
	readonly appendAll: (rows: readonly LogRow[]) => void;

	saveCheckpoint(doc: string, seq: number, state: Uint8Array, at: number): void {
		this.q.saveCheckpoint.run(doc, seq, Buffer.from(state), at);
	}

	bindClient(doc: string, clientId: number, actor: string): void {
		this.q.bindClient.run(doc, clientId, actor);
	}
}
