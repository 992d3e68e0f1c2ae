import * as Y from 'yjs';
import { applyDocChanges, cloneDocState, type DocState } from '../../../src/lib/core/audit/apply-changes';
import { writersOf } from '../../../src/lib/core/audit/describe-changes';
import type { DocChange, TextOp } from '../../../src/lib/core/audit/types';
import { parseDocName } from '../../../src/lib/core/doc-name';
import { createRoots } from '../../../src/lib/core/doc-roots';
import type { UpdateLog } from '../../storage/update-log';

// A2: documents as they were at a seq, rebuilt from the update log. Never from the start when a
// checkpoint is nearer: any checkpoint at or below the seq plus the updates after it up to the
// seq gives exactly the state a client had after that update (the property test checks this).
// Read through the update-log port, so either store serves it.

function freshDoc(name: string): Y.Doc {
	const ref = parseDocName(name);
	if (!ref) throw new Error(`not a document name: ${name}`);
	// gc like the live document, with the same roots created before anything is applied.
	const doc = new Y.Doc({ gc: true });
	createRoots(doc, ref.kind);
	return doc;
}

/** The document `name` after update `seq` (0 = empty): nearest checkpoint ≤ seq, then the tail. */
export async function rebuildDoc(log: UpdateLog, name: string, seq: number): Promise<Y.Doc> {
	const doc = freshDoc(name);
	if (seq <= 0) return doc;
	const cp = await log.loadCheckpoint(name, seq);
	const tail = await log.readRange(name, { after: cp?.seq ?? 0, upTo: seq });
	// One transaction: observers and cleanup run once, not once per update.
	doc.transact(() => {
		if (cp) Y.applyUpdate(doc, cp.state);
		for (const row of tail) Y.applyUpdate(doc, row.update);
	});
	return doc;
}

/** Every root of a document as plain JSON (arrays, maps, texts), keyed by root name. */
export function docJson(doc: Y.Doc): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, type] of doc.share) {
		if (type instanceof Y.Array || type instanceof Y.Map) out[name] = type.toJSON();
		else if (type instanceof Y.Text || type instanceof Y.XmlFragment) out[name] = type.toString();
	}
	return out;
}

/** One update of the log as the replay saw it. */
export interface ReplayedUpdate {
	seq: number;
	actor: string;
	at: number;
	changes: DocChange[];
	/** Yjs clientIDs whose structs the update carries (empty for a delete-only update). */
	clients: number[];
}

function changesOfEvent(root: string, event: Y.YEvent<Y.AbstractType<unknown>>): DocChange[] {
	const out: DocChange[] = [];
	const target = event.target;
	if (target instanceof Y.Map) {
		for (const [key, c] of event.changes.keys) {
			if (c.action === 'delete') out.push({ root, op: 'unset', key, old: c.oldValue });
			else out.push({ root, op: 'set', key, value: target.get(key), old: c.oldValue, existed: c.action === 'update' });
		}
		return out;
	}
	if (target instanceof Y.Text) {
		const delta: TextOp[] = [];
		for (const d of event.delta) {
			if (d.retain) delta.push({ retain: d.retain });
			else if (d.delete) delta.push({ delete: d.delete });
			// Embeds count as one character, like Yjs counts them.
			else if (d.insert !== undefined) delta.push({ insert: typeof d.insert === 'string' ? d.insert : '\ufffc' });
		}
		return [{ root, op: 'text', delta }];
	}
	// Arrays (and anything list-like): walk the delta for indices; deleted values from the items.
	const removed = [...event.changes.deleted].flatMap((item) => item.content.getContent());
	let index = 0;
	for (const d of event.changes.delta) {
		if (d.retain) index += d.retain;
		else if (d.insert) {
			const values = Array.isArray(d.insert) ? d.insert : [d.insert];
			out.push({ root, op: 'insert', index, values });
			index += values.length;
		} else if (d.delete) out.push({ root, op: 'remove', index, count: d.delete, values: removed.splice(0, d.delete) });
	}
	return out;
}

const REPLAY_BATCH = 2000;

/**
 * A1/A2: replays a document's whole log from seq 1 and reports what each update changed. The
 * timeline needs every change, so this one does start from the beginning (its result is cached).
 */
export async function replayChanges(log: UpdateLog, name: string): Promise<ReplayedUpdate[]> {
	const doc = freshDoc(name);
	let current: DocChange[] = [];
	for (const [root, type] of doc.share)
		type.observeDeep((events) => {
			for (const ev of events) current.push(...changesOfEvent(root, ev));
		});
	const out: ReplayedUpdate[] = [];
	let after = 0;
	for (;;) {
		const rows = await log.readRange(name, { after, limit: REPLAY_BATCH });
		for (const row of rows) {
			current = [];
			Y.applyUpdate(doc, row.update);
			out.push({ seq: row.seq, actor: row.actor, at: row.at, changes: current, clients: [...Y.parseUpdateMeta(row.update).from.keys()] });
		}
		if (rows.length < REPLAY_BATCH) break;
		after = rows[rows.length - 1].seq;
	}
	doc.destroy();
	return out;
}

/**
 * A2: an in-memory replay checkpoint cache for one document, built from one replay of its log
 * (the timeline's): each update's changes and writer, and the document's JSON every `every`
 * seqs. A state at seq n is then the nearest kept JSON ≤ n plus fewer than `every` recorded
 * changes — no Yjs decoding at all. Kept in memory only (bounded), never in the database.
 */
export interface ReplayIndex {
	doc: string;
	lastSeq: number;
	every: number;
	updates: (ReplayedUpdate & { via: 'client' | 'server' })[];
	/** JSON of the document after seq k·every, for k = 0, 1, 2 … */
	marks: DocState[];
	/** Position of each seq in `updates` (seqs are contiguous from 1 in practice; this does not rely on it). */
	bySeq: Map<number, number>;
}

export async function buildReplayIndex(log: UpdateLog, name: string): Promise<ReplayIndex> {
	const updates = await replayChanges(log, name);
	const via = writersOf(updates);
	const withVia = updates.map((u, i) => ({ ...u, via: via[i] }));
	const every = Math.max(50, Math.ceil(updates.length / 100));
	const empty = freshDoc(name);
	let state = docJson(empty) as DocState;
	empty.destroy();
	const marks: DocState[] = [cloneDocState(state)];
	const lastSeq = updates.at(-1)?.seq ?? 0;
	const bySeq = new Map(updates.map((u, i) => [u.seq, i]));
	for (let seq = 1; seq <= lastSeq; seq++) {
		const at = bySeq.get(seq);
		if (at !== undefined) applyDocChanges(state, updates[at].changes);
		if (seq % every === 0) {
			marks.push(state);
			state = cloneDocState(state);
		}
	}
	return { doc: name, lastSeq, every, updates: withVia, marks, bySeq };
}

/** The document's JSON after `seq`, from the index (same result as rebuildDoc + docJson). */
export function stateFromIndex(index: ReplayIndex, seq: number): DocState {
	const k = Math.min(Math.floor(Math.max(0, seq) / index.every), index.marks.length - 1);
	const state = cloneDocState(index.marks[k]);
	for (let s = k * index.every + 1; s <= Math.min(seq, index.lastSeq); s++) {
		const at = index.bySeq.get(s);
		if (at !== undefined) applyDocChanges(state, index.updates[at].changes);
	}
	return state;
}
