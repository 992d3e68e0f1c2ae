import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/core/doc-name';
import { docJson } from '../../server/services/audit/audit-replay';
import { createRoots, LiveDoc, type Peer } from '../../server/sync/live-doc';
import { ClientWriteBatch } from '../../server/sync/write-batch';
import { SqliteStorage } from '../../server/storage/sqlite/storage';
import { tempStores } from '../helpers/store';

// A loaded document that sleeps (its Y.Doc replaced by its encoded state) answers sync exactly as
// it did awake, wakes on the next change without losing or reordering anything, and a client's
// batched update is in the log before anyone receives it. No timing: sleep is asked for directly.

const newStore = tempStores('parley-sleep-');

const NAME = 'chat/sleepy';
const REF = parseDocName(NAME)!;
/** A doc with the chat's roots, so docJson reads them (as a client's does once they sync). */
const rooted = () => {
	const doc = new Y.Doc();
	createRoots(doc, REF);
	return doc;
};
const message = (who: string, i: number) => ({
	id: `${who}-${i}`,
	kind: 'text',
	author: { id: who, role: who === 'pat' ? 'customer' : 'agent', name: who },
	text: `message ${i}`,
	at: 1_700_000_000_000 + i
});

function updateOf(m: Uint8Array): Uint8Array | null {
	const d = decoding.createDecoder(m);
	if (decoding.readVarUint(d) !== 0) return null;
	decoding.readVarUint(d);
	return decoding.readVarUint8Array(d);
}

async function setup() {
	const store = newStore();
	// Not owned: tempStores closes the connection after the test.
	const { log } = new SqliteStorage(store.sqlite);
	const batch = new ClientWriteBatch(log);
	const live = new LiveDoc(NAME, REF, log, () => 1_700_000_000_000, batch);
	await live.load();
	return { store, log, batch, live };
}

/** A client: its own doc, the updates it writes, and a peer that applies what the server sends. */
function client(actor: string, log: { received: Uint8Array[] } = { received: [] }) {
	const doc = rooted();
	const outbox: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'server' && outbox.push(u));
	const peer: Peer = {
		send: (m) => {
			const u = updateOf(m);
			if (u) {
				log.received.push(u);
				Y.applyUpdate(doc, u, 'server');
			}
		},
		close: () => undefined,
		awarenessIds: new Set(),
		mode: 'write',
		actor
	};
	return { doc, outbox, peer, received: log.received };
}

describe('a sleeping document', () => {
	it('answers sync as it did awake, and wakes on the next change with everything in order', async () => {
		const { log, live } = await setup();
		const pat = client('pat');
		live.peers.add(pat.peer);
		await live.change('server', (doc) => doc.getMap('meta').set('status', 'active'));
		for (let i = 0; i < 20; i++) {
			pat.doc.getArray('messages').push([message('pat', i)]);
			await live.applyClientUpdate(pat.peer, pat.outbox.shift()!, i === 0 ? [pat.doc.clientID] : []);
		}
		await live.change('ada', (doc) => doc.getArray('messages').push([{ ...message('system', 99), kind: 'system' }]));
		const awake = docJson(live.doc);
		const full = live.stateAsUpdate();
		expect(full.byteLength).toBeGreaterThan(0);
		const svOfEarlier = Y.encodeStateVector(pat.doc);

		expect(live.hibernate(0)).toBe(true);
		expect(live.asleep).toBe(true);
		// Full state, and the diff for a peer that has part of it, from the encoded state.
		const fresh = rooted();
		Y.applyUpdate(fresh, live.stateAsUpdate());
		expect(docJson(fresh)).toEqual(awake);
		const behind = rooted();
		Y.applyUpdate(behind, Y.encodeStateAsUpdate(pat.doc));
		Y.applyUpdate(behind, live.stateAsUpdate(Y.encodeStateVector(behind)));
		expect(docJson(behind)).toEqual(awake);
		expect(live.stateVector()).toEqual(Y.encodeStateVector(fresh));
		expect(Y.diffUpdate(live.stateAsUpdate(), svOfEarlier).byteLength).toBeGreaterThan(0);

		// The next client update wakes it; nothing is lost, and the log holds every step.
		const seqBefore = live.seq;
		pat.doc.getArray('messages').push([message('pat', 20)]);
		await live.applyClientUpdate(pat.peer, pat.outbox.shift()!, []);
		expect(live.asleep).toBe(false);
		expect(live.seq).toBe(seqBefore + 1);
		expect((docJson(live.doc).messages as unknown[]).length).toBe(22);
		const replay = rooted();
		const loaded = await log.load(NAME);
		if (loaded.checkpoint) Y.applyUpdate(replay, loaded.checkpoint.state);
		for (const u of loaded.updates) Y.applyUpdate(replay, u.update);
		expect(docJson(replay)).toEqual(docJson(live.doc));
	});

	it('answers every new device with the whole current state, after each change and after waking', async () => {
		const { live } = await setup();
		const pat = client('pat');
		live.peers.add(pat.peer);
		const EMPTY_SV = Y.encodeStateVector(new Y.Doc()); // what a new device sends
		const newDevice = () => {
			const d = rooted();
			Y.applyUpdate(d, live.stateAsUpdate(EMPTY_SV));
			return docJson(d);
		};
		for (let i = 0; i < 3; i++) {
			pat.doc.getArray('messages').push([message('pat', i)]);
			await live.applyClientUpdate(pat.peer, pat.outbox.shift()!, i === 0 ? [pat.doc.clientID] : []);
			expect(newDevice()).toEqual(docJson(live.doc)); // asked twice: the second answer is reused
			expect(newDevice()).toEqual(docJson(live.doc));
		}
		await live.change('ada', (doc) => doc.getMap('meta').set('status', 'ended'));
		expect(newDevice()).toEqual(docJson(live.doc));
		const awake = docJson(live.doc);
		live.hibernate(0);
		expect(newDevice()).toEqual(awake);
		pat.doc.getArray('messages').push([message('pat', 3)]);
		await live.applyClientUpdate(pat.peer, pat.outbox.shift()!, []);
		expect((newDevice().messages as unknown[]).length).toBe(4);
		expect(newDevice()).toEqual(docJson(live.doc));
	});

	it('writes a checkpoint while asleep that replays to the same document', async () => {
		const { log, live } = await setup();
		const pat = client('pat');
		live.peers.add(pat.peer);
		for (let i = 0; i < 5; i++) {
			pat.doc.getArray('messages').push([message('pat', i)]);
			await live.applyClientUpdate(pat.peer, pat.outbox.shift()!, i === 0 ? [pat.doc.clientID] : []);
		}
		const awake = docJson(live.doc);
		live.hibernate(0);
		await live.checkpoint();
		const cp = (await log.load(NAME)).checkpoint!;
		expect(cp.seq).toBe(live.seq);
		const replay = rooted();
		Y.applyUpdate(replay, cp.state);
		expect(docJson(replay)).toEqual(awake);
		await live.destroy();
	});

	it('does not sleep while an update waits for its commit, nor before it was idle long enough', async () => {
		const { batch, live } = await setup();
		const pat = client('pat');
		live.peers.add(pat.peer);
		pat.doc.getArray('messages').push([message('pat', 0)]);
		live.submitClientUpdate(pat.peer, pat.outbox.shift()!, [pat.doc.clientID]);
		expect(live.hibernate(0)).toBe(false);
		await batch.flush();
		expect(live.hibernate(60 * 60_000)).toBe(false);
		expect(live.hibernate(0)).toBe(true);
	});
});

describe('batched client updates', () => {
	it('are in the log before any peer receives them, are not echoed, and the next one is checked after', async () => {
		const { store, batch, live } = await setup();
		const lastSeq = () => (store.sqlite.prepare('SELECT MAX(seq) AS n FROM doc_updates WHERE doc = ?').get(NAME) as { n: number | null }).n ?? 0;
		const pat = client('pat');
		const seenByAda: number[] = [];
		const ada = client('ada');
		const adaPeer: Peer = {
			...ada.peer,
			send: (m) => {
				const u = updateOf(m);
				if (!u) return;
				// Whatever ada receives is already durable.
				seenByAda.push(lastSeq());
				ada.peer.send(m);
			}
		};
		live.peers.add(pat.peer);
		live.peers.add(adaPeer);
		pat.doc.getArray('messages').push([message('pat', 0)]);
		live.submitClientUpdate(pat.peer, pat.outbox.shift()!, [pat.doc.clientID]);
		expect(ada.received.length).toBe(0); // not visible before the commit
		expect(lastSeq()).toBe(0);
		// A second update for the same document is checked only once the first is applied.
		pat.doc.getArray('messages').push([message('pat', 1)]);
		expect(live.busy).toBe(true);
		const checkedAtSeq: number[] = [];
		live.afterWrites(() => {
			checkedAtSeq.push(live.seq);
			live.submitClientUpdate(pat.peer, pat.outbox.shift()!, []);
		});
		await batch.flush();
		expect(checkedAtSeq).toEqual([1]);
		await batch.flush();
		expect(seenByAda).toEqual([1, 2]);
		expect(pat.received.length).toBe(0); // its own updates are not sent back
		expect((docJson(ada.doc).messages as unknown[]).length).toBe(2);
		expect(live.busy).toBe(false);
	});
});
