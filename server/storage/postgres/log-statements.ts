import type postgres from 'postgres';
import {
	SeqTakenError,
	type Checkpoint,
	type LoadedLog,
	type LogEntry,
	type LogRange,
	type LogRow
} from '../update-log';

// The PostgreSQL log's statements, on a pool or inside a transaction (both are an ISql). The
// same tables as SQLite's; bytes are bytea, seq/at/client_id bigint read as numbers (./connect.ts).

type Q = postgres.ISql;

/** Rows per INSERT: 5 parameters each, well under PostgreSQL's 65,535 a statement. */
export const ROWS_PER_INSERT = 1000;

function bytes(b: Buffer): Uint8Array {
	return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function buffer(u: Uint8Array): Buffer {
	return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** A unique violation on doc_updates' key is a taken seq; its detail names the row. */
function asSeqTaken(err: unknown): unknown {
	const e = err as { code?: string; constraint_name?: string; detail?: string } | null;
	if (e?.code !== '23505' || e.constraint_name !== 'doc_updates_doc_seq_pk') return err;
	const m = /^Key \(doc, seq\)=\((.*), (\d+)\) already exists/.exec(e.detail ?? '');
	return m ? new SeqTakenError(m[1], Number(m[2]), { cause: err }) : new SeqTakenError(undefined, undefined, { cause: err });
}

/** The clientID bindings of a batch, first binding of a (doc, clientID) first (as INSERT OR IGNORE). */
function bindingsOf(rows: readonly LogRow[]) {
	const seen = new Set<string>();
	const out: { doc: string; client_id: number; actor: string }[] = [];
	for (const r of rows)
		for (const id of r.clientIds) {
			const key = `${id} ${r.doc}`;
			if (seen.has(key)) continue;
			seen.add(key);
			out.push({ doc: r.doc, client_id: id, actor: r.actor });
		}
	return out;
}

/**
 * Appends at most ROWS_PER_INSERT rows and binds their clientIDs in ONE statement (the bindings in
 * a data-modifying WITH): atomic on its own, so it needs no transaction around it.
 */
export async function appendChunk(q: Q, rows: readonly LogRow[]): Promise<void> {
	if (rows.length === 0) return;
	const updates = rows.map((r) => ({ doc: r.doc, seq: r.seq, update: buffer(r.update), actor: r.actor, at: r.at }));
	const bindings = bindingsOf(rows);
	try {
		if (bindings.length === 0) await q`INSERT INTO doc_updates ${q(updates, 'doc', 'seq', 'update', 'actor', 'at')}`;
		else
			await q`WITH bound AS (
				INSERT INTO doc_clients ${q(bindings, 'doc', 'client_id', 'actor')} ON CONFLICT DO NOTHING
			) INSERT INTO doc_updates ${q(updates, 'doc', 'seq', 'update', 'actor', 'at')}`;
	} catch (err) {
		throw asSeqTaken(err);
	}
}

export async function loadCheckpoint(q: Q, doc: string, atOrBelow = Number.MAX_SAFE_INTEGER): Promise<Checkpoint | null> {
	const [r] = await q<{ seq: number; state: Buffer; at: number }[]>`
		SELECT seq, state, at FROM doc_checkpoints WHERE doc = ${doc} AND seq <= ${atOrBelow} ORDER BY seq DESC LIMIT 1`;
	return r ? { seq: r.seq, state: bytes(r.state), at: r.at } : null;
}

export async function readRange(q: Q, doc: string, range: LogRange = {}): Promise<LogEntry[]> {
	const rows = await q<{ seq: number; update: Buffer; actor: string; at: number }[]>`
		SELECT seq, "update", actor, at FROM doc_updates
		WHERE doc = ${doc} AND seq > ${range.after ?? Number.MIN_SAFE_INTEGER} AND seq <= ${range.upTo ?? Number.MAX_SAFE_INTEGER}
		ORDER BY seq LIMIT ${range.limit ?? null}`;
	return rows.map((r) => ({ seq: r.seq, update: bytes(r.update), actor: r.actor, at: r.at }));
}

/**
 * Checkpoint, then the updates after it, then the bindings: in that order, a write landing
 * between the queries (another instance) can only add to what is read, never leave a hole.
 */
export async function load(q: Q, doc: string): Promise<LoadedLog> {
	const cp = await loadCheckpoint(q, doc);
	const after = cp?.seq ?? 0;
	const updates = (await readRange(q, doc, { after })).map(({ seq, update, at }) => ({ seq, update, at }));
	const clients = await readClients(q, doc);
	return {
		checkpoint: cp ? { seq: cp.seq, state: cp.state } : null,
		updates,
		clients,
		// From the rows read, not a later MAX(seq): a seq we report is a seq we loaded.
		lastSeq: Math.max(updates.at(-1)?.seq ?? 0, after)
	};
}

export async function readClients(q: Q, doc: string): Promise<Map<number, string>> {
	const clients = new Map<number, string>();
	for (const r of await q<{ client_id: number; actor: string }[]>`SELECT client_id, actor FROM doc_clients WHERE doc = ${doc}`)
		clients.set(r.client_id, r.actor);
	return clients;
}

export async function lastSeq(q: Q, doc: string): Promise<number> {
	const [r] = await q<{ seq: number | null }[]>`SELECT MAX(seq) AS seq FROM doc_updates WHERE doc = ${doc}`;
	return r?.seq ?? 0;
}

export async function bindClient(q: Q, doc: string, clientId: number, actor: string): Promise<void> {
	await q`INSERT INTO doc_clients (doc, client_id, actor) VALUES (${doc}, ${clientId}, ${actor}) ON CONFLICT DO NOTHING`;
}

export async function saveCheckpoint(q: Q, doc: string, seq: number, state: Uint8Array, at: number): Promise<void> {
	await q`INSERT INTO doc_checkpoints (doc, seq, state, at) VALUES (${doc}, ${seq}, ${buffer(state)}, ${at})
		ON CONFLICT (doc, seq) DO UPDATE SET state = excluded.state, at = excluded.at`;
}
