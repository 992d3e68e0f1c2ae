import { sql } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/core/doc-name';
import { buildReplayIndex, docJson, rebuildDoc, stateFromIndex } from '../../server/services/audit/audit-replay';
import type { SqliteStorage } from '../../server/storage/sqlite/storage';
import { createRoots, LiveDoc, type Peer } from '../../server/sync/live-doc';
import { tempStorages } from '../helpers/store';
import { seededRandom } from '../helpers/seeded-random';

// A2 as a property: for random histories (seeded), the state rebuilt from the log at seq n —
// nearest checkpoint ≤ n plus the updates after it, and the in-memory replay index — equals the
// state a live client had right after update n, for every n. Histories mix concurrent clients, server writes that overwrite
// and delete (so checkpoints hold garbage-collected content), checkpoints and unload/reload.

/** mulberry32 (seeded-random.ts): the same sequence for the same seed everywhere. */
function rng(seed: number) {
	const next = seededRandom(seed);
	return { next, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

/** The update carried by a broadcast (sync message, Update sub-type), as peers receive it. */
function updateOf(message: Uint8Array): Uint8Array | null {
	const d = decoding.createDecoder(message);
	if (decoding.readVarUint(d) !== 0) return null;
	decoding.readVarUint(d);
	return decoding.readVarUint8Array(d);
}

function peer(actor: string, onUpdate: (u: Uint8Array) => void): Peer {
	return {
		send: (m) => {
			const u = updateOf(m);
			if (u) onUpdate(u);
		},
		close: () => undefined,
		awarenessIds: new Set(),
		mode: 'write',
		actor
	};
}

const REMOTE = Symbol('remote');

interface Client {
	actor: string;
	doc: Y.Doc;
	/** Own updates not yet delivered to the server, in order. */
	outbox: Uint8Array[];
	peer: Peer;
}

const newStorage = tempStorages('parley-prop-');

/** A live document on the storage port, loaded from its log (as the registry loads one). */
async function loadLive(storage: SqliteStorage, name: string, now: () => number) {
	const live = new LiveDoc(name, parseDocName(name)!, storage.log, now);
	await live.load();
	return live;
}

/** Runs one random history on document `name`; returns the witness's JSON after each seq. */
async function randomHistory(seed: number, name: string, steps: number) {
	const r = rng(seed);
	const storage = newStorage();
	const ref = parseDocName(name)!;
	let clock = 1_700_000_000_000;
	const now = () => (clock += r.int(3));
	const arrayRoot = ref.kind === 'chat' ? 'messages' : 'whispers';

	const witness = new Y.Doc();
	createRoots(witness, ref);
	const states = new Map<number, unknown>();
	let live = await loadLive(storage, name, now);
	const attachWitness = () =>
		live.peers.add(
			peer('witness', (u) => {
				Y.applyUpdate(witness, u);
				states.set(live.seq, docJson(witness));
			})
		);
	attachWitness();

	const clients: Client[] = ['pat', 'ada', 'grace'].map((actor) => {
		const doc = new Y.Doc();
		const c: Client = { actor, doc, outbox: [], peer: peer(actor, (u) => Y.applyUpdate(doc, u, REMOTE)) };
		doc.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE) c.outbox.push(u);
		});
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc), REMOTE);
		live.peers.add(c.peer);
		return c;
	});
	const known = new Set<number>();

	for (let i = 0; i < steps; i++) {
		const roll = r.next();
		if (roll < 0.45) {
			// A client writes (possibly several messages in one transaction) but does not send yet.
			const c = clients[r.int(clients.length)];
			const n = 1 + (r.chance(0.2) ? r.int(3) : 0);
			const items = Array.from({ length: n }, (_, k) => ({
				id: `${c.actor}-${i}-${k}`,
				kind: 'text',
				author: { id: c.actor, role: c.actor === 'pat' ? 'customer' : 'agent', name: c.actor },
				text: `m${i}.${k}`,
				at: clock
			}));
			c.doc.getArray(arrayRoot).push(items);
		} else if (roll < 0.75) {
			// The server delivers one pending update of some client (clients interleave, each in order).
			const waiting = clients.filter((c) => c.outbox.length > 0);
			if (waiting.length === 0) continue;
			const c = waiting[r.int(waiting.length)];
			const u = c.outbox.shift()!;
			const fresh = [...Y.parseUpdateMeta(u).from.keys()].filter((id) => !known.has(id));
			fresh.forEach((id) => known.add(id));
			await live.applyClientUpdate(c.peer, u, fresh);
		} else if (roll < 0.93) {
			// The server writes: participants join, leave, are overwritten or removed; meta; notices; deletions.
			await live.change(r.chance(0.5) ? 'server' : 'ada', (doc) => {
				const k = r.int(4);
				if (ref.kind === 'chat') {
					const participants = doc.getMap<Record<string, unknown>>('participants');
					const who = `p${r.int(4)}`;
					if (k === 0) participants.set(who, { id: who, role: 'agent', name: who, joinedAt: clock });
					else if (k === 1 && participants.has(who)) participants.set(who, { ...participants.get(who), leftAt: clock });
					else if (k === 2 && participants.has(who)) participants.delete(who);
					else doc.getMap('meta').set('status', ['waiting', 'active', 'ended'][r.int(3)]);
				}
				const arr = doc.getArray(arrayRoot);
				if (r.chance(0.5)) arr.push([{ id: `n${i}`, kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text: `notice ${i}`, at: clock }]);
				if (arr.length > 3 && r.chance(0.15)) arr.delete(r.int(arr.length), 1);
			});
		} else if (roll < 0.98) {
			await live.checkpoint();
		} else {
			// Unload (writes a checkpoint) and load again from the log, as the registry does.
			await live.destroy();
			live = await loadLive(storage, name, now);
			attachWitness();
			for (const c of clients) {
				Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(live.doc), REMOTE);
				live.peers.add(c.peer);
			}
		}
	}
	// Deliver what is left so the history ends quiet.
	for (const c of clients)
		while (c.outbox.length) {
			const u = c.outbox.shift()!;
			const fresh = [...Y.parseUpdateMeta(u).from.keys()].filter((id) => !known.has(id));
			fresh.forEach((id) => known.add(id));
			await live.applyClientUpdate(c.peer, u, fresh);
		}
	const lastSeq = live.seq;
	await live.destroy();
	const [{ n: checkpoints }] = await storage.facts.all<{ n: number }>(sql`SELECT count(*) AS n FROM doc_checkpoints WHERE doc = ${name}`);
	return { states, lastSeq, checkpoints, store: storage.log };
}

describe('replay equals what a live client saw (A2, property)', () => {
	const cases: [number, string, number][] = [
		[1, 'chat/p1', 400],
		[2, 'chat/p2', 400],
		[3, 'chat/p3', 400],
		[42, 'chat/p4/agents', 400],
		[7, 'chat/p5', 1300]
	];
	it.each(cases)('[A2] seed %i on %s: the state rebuilt at every seq n equals the client state after update n (%i steps)', async (seed, name, steps) => {
		const { states, lastSeq, checkpoints, store } = await randomHistory(seed, name, steps);
		expect(lastSeq).toBeGreaterThan(steps / 3);
		expect(checkpoints).toBeGreaterThan(0);
		expect(states.size).toBe(lastSeq);
		// Both ways to a past state: stored checkpoint + tail through Yjs, and the in-memory index.
		const index = await buildReplayIndex(store, name);
		expect(index.marks.length).toBeGreaterThan(1);
		for (let n = 1; n <= lastSeq; n++) {
			const rebuilt = await rebuildDoc(store, name, n);
			expect(docJson(rebuilt), `${name} at seq ${n} (checkpoint + tail)`).toEqual(states.get(n));
			rebuilt.destroy();
			expect(stateFromIndex(index, n), `${name} at seq ${n} (replay index)`).toEqual(states.get(n));
		}
		const empty = await rebuildDoc(store, name, 0);
		expect(Object.values(docJson(empty)).every((v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0))).toBe(true);
	});
});
