import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { checkClientUpdate, type PolicyResult } from '../../server/sync/write-policy';
import { checkClientMessage, MAX_MESSAGE_TEXT, newTextMessage } from '../../src/lib/core/message-policy';
import type { Author, ChatMessage } from '../../src/lib/core/types';

// Every update here is produced by a real Y.Doc, except the few marked "forged", which are
// encoded by hand with Yjs's own encoder to get shapes no honest client produces.

const alice: Author = { id: 'u-alice', role: 'customer', name: 'Alice' };
const bob: Author = { id: 'u-bob', role: 'agent', name: 'Bob' };
let seq = 0;
const T0 = 1_700_000_000_000; // the server's clock in these checks
const msg = (author: Author, text = 'hello'): ChatMessage => newTextMessage(author, text, T0, `m${++seq}`);

function serverDoc(): Y.Doc {
	const doc = new Y.Doc();
	doc.getArray('messages');
	doc.getMap('participants');
	return doc;
}
function clientOf(server: Y.Doc, clientID?: number): Y.Doc {
	const doc = new Y.Doc();
	if (clientID !== undefined) doc.clientID = clientID;
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
	return doc;
}
/** The one update `fn` produces in `doc`, as the provider would send it. */
function capture(doc: Y.Doc, fn: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const onUpdate = (u: Uint8Array) => updates.push(u);
	doc.on('update', onUpdate);
	fn();
	doc.off('update', onUpdate);
	expect(updates).toHaveLength(1);
	return updates[0];
}
const push = (doc: Y.Doc, ...items: unknown[]) => capture(doc, () => doc.getArray('messages').push(items));
interface CheckOptions {
	/** Which elements count as unseen by the writer (default: none, as for a fully synced writer). */
	concurrent?: (client: number, from: number, to: number) => boolean;
	now?: number;
	maxMessages?: number;
}
function check(doc: Y.Doc, update: Uint8Array, writer = alice, owners = new Map<number, string>(), arrays = ['messages'], opts: CheckOptions = {}): PolicyResult {
	const messageIds = new Set(doc.getArray<{ id?: string }>('messages').toArray().map((m) => m?.id ?? ''));
	return checkClientUpdate({
		doc,
		update,
		writer,
		appendOnlyArrays: arrays,
		clientOwners: owners,
		now: opts.now ?? T0,
		messageIds,
		concurrent: opts.concurrent ?? (() => false),
		maxMessages: opts.maxMessages ?? 100
	});
}
const refused = (r: PolicyResult) => (r.ok ? 'accepted' : r.reason);
/** forged: one block per inner list, empty delete set. */
function forge(blocks: (Y.Item | Y.GC | Y.Skip)[][]): Uint8Array {
	const enc = new Y.UpdateEncoderV1();
	encoding.writeVarUint(enc.restEncoder, blocks.length);
	for (const block of blocks) {
		encoding.writeVarUint(enc.restEncoder, block.length);
		enc.writeClient(block[0].id.client);
		encoding.writeVarUint(enc.restEncoder, block[0].id.clock);
		for (const s of block) s.write(enc, 0);
	}
	encoding.writeVarUint(enc.restEncoder, 0);
	return enc.toUint8Array();
}
const forgedItem = (id: Y.ID, origin: Y.ID | null, rightOrigin: Y.ID | null, parent: string | null, value: unknown) =>
	new Y.Item(id, null, origin, null, rightOrigin, parent as unknown as Y.AbstractType<unknown>, null, new Y.ContentAny([value]));

describe('write policy: accepted appends', () => {
	it('[write-policy] accepts an append of an own text message (first push: parent is the root name)', () => {
		const server = serverDoc();
		const client = clientOf(server);
		const u = push(client, msg(alice));
		expect(Y.decodeUpdate(u).structs[0]).toMatchObject({ parent: 'messages', origin: null });
		expect(check(server, u)).toMatchObject({ ok: true, changes: true, newClientIds: [client.clientID] });
	});

	it("[write-policy] accepts a later push whose origin is the server's own item", () => {
		const server = serverDoc();
		server.getArray('messages').push([{ ...msg(alice), kind: 'system' }]);
		const client = clientOf(server);
		const u = push(client, msg(alice));
		expect(Y.decodeUpdate(u).structs[0]).toMatchObject({ parent: null, origin: { client: server.clientID, clock: 0 } });
		expect(check(server, u).ok).toBe(true);
	});

	it('[write-policy] checks every element of push([a, b]) in one transaction', () => {
		const server = serverDoc();
		const ok = push(clientOf(server), msg(alice), msg(alice));
		expect(Y.decodeUpdate(ok).structs).toHaveLength(1);
		expect(check(server, ok).ok).toBe(true);
		expect(refused(check(server, push(clientOf(server), msg(alice), msg(bob))))).toMatch(/^bad message/);
	});

	it('[T1] refuses an insert between messages and at the front (rightOrigin set), even when the neighbours are recent', () => {
		const server = serverDoc();
		server.getArray('messages').push([msg(bob), msg(bob)]);
		const client = clientOf(server);
		const middle = capture(client, () => client.getArray('messages').insert(1, [msg(alice)]));
		expect(Y.decodeUpdate(middle).structs[0]).toMatchObject({ origin: { clock: 0 }, rightOrigin: { clock: 1 } });
		expect(refused(check(server, middle, alice, undefined, undefined, { concurrent: () => true }))).toMatch(/^not an append/);
		const other = clientOf(server);
		const front = capture(other, () => other.getArray('messages').insert(0, [msg(alice)]));
		expect(Y.decodeUpdate(front).structs[0]).toMatchObject({ origin: null, parent: null, rightOrigin: { clock: 0 } });
		expect(refused(check(server, front))).toMatch(/^not an append/);
	});

	it('[T1] refuses a forged append (no right neighbour) after an old message; accepts it when what follows is concurrent', () => {
		const server = serverDoc();
		server.getArray('messages').push([msg(bob), msg(bob)]);
		const origin = Y.createID(server.clientID, 0); // before the second message
		const forged = forge([[forgedItem(Y.createID(77, 0), origin, null, null, msg(alice))]]);
		expect(refused(check(server, forged))).toMatch(/^not an append/);
		const asked: number[][] = [];
		const concurrent = (client: number, from: number, to: number) => (asked.push([client, from, to]), true);
		expect(check(server, forged, alice, undefined, undefined, { concurrent }).ok).toBe(true);
		expect(asked).toEqual([[server.clientID, 1, 2]]); // only what follows the origin was asked about
	});

	it('[T1] concurrent appends of two writers who saw the same last message both land', () => {
		const server = serverDoc();
		server.getArray('messages').push([msg(bob)]);
		const a = clientOf(server);
		const b = clientOf(server);
		const ua = push(a, msg(alice));
		const ub = push(b, msg(bob));
		expect(check(server, ua).ok).toBe(true);
		Y.applyUpdate(server, ua);
		// b wrote before it received a's message: a's message is concurrent to b, nothing older is.
		const aItems = new Set([a.clientID]);
		expect(refused(check(server, ub, bob))).toMatch(/^not an append/);
		const r = check(server, ub, bob, undefined, undefined, { concurrent: (client) => aItems.has(client) });
		expect(r.ok).toBe(true);
		Y.applyUpdate(server, ub);
		expect(server.getArray('messages').length).toBe(3);
	});

	it('[write-policy] reports changes=false for a re-send of a known update', () => {
		const server = serverDoc();
		const client = clientOf(server);
		const u = push(client, msg(alice));
		Y.applyUpdate(server, u);
		expect(check(server, u, alice, new Map([[client.clientID, alice.id]]))).toEqual({ ok: true, changes: false, newClientIds: [], messageIds: [] });
		expect(check(server, Y.encodeStateAsUpdate(server), alice, new Map([[client.clientID, alice.id]])).ok).toBe(true);
	});

	it('[write-policy] checks only the new tail of a partly known struct (writer renamed in between)', () => {
		const server = serverDoc();
		const client = clientOf(server);
		const first = msg(alice);
		Y.applyUpdate(server, push(client, first));
		const renamed = { ...alice, name: 'Alice B.' };
		push(client, msg(renamed)); // lost on the way
		const full = Y.encodeStateAsUpdate(client);
		const [struct] = Y.decodeUpdate(full).structs;
		expect(struct).toMatchObject({ id: { clock: 0 }, length: 2 }); // one merged item, first half known
		expect(checkClientMessage(first, renamed, T0).ok).toBe(false); // so the known head must not be re-checked
		expect(check(server, full, renamed, new Map([[client.clientID, alice.id]]))).toMatchObject({ ok: true, changes: true, newClientIds: [] });
	});

	it('[write-policy] accepts a SyncStep2 / full state whose delete set holds server-side deletions', () => {
		const server = serverDoc();
		const participants = server.getMap('participants');
		server.getArray('messages').push([{ ...msg(bob), kind: 'system' }]);
		participants.set(alice.id, { ...alice, joinedAt: 1 });
		participants.set(alice.id, { ...alice, joinedAt: 2 }); // overwrite deletes the first entry
		server.getArray('messages').delete(0, 1);
		const client = clientOf(server);
		const m = msg(alice);
		push(client, m);
		const full = Y.encodeStateAsUpdate(client);
		expect(Y.decodeUpdate(full).ds.clients.get(server.clientID)?.length).toBeGreaterThan(0);
		expect(check(server, full)).toMatchObject({ ok: true, changes: true, newClientIds: [client.clientID] });
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(check(server, step2).ok).toBe(true);
		Y.applyUpdate(server, step2);
		expect(server.getArray('messages').toJSON()).toEqual([m]);
	});

	it('[write-policy] accepts structs of two own clientIDs that depend on each other in any order', () => {
		const server = serverDoc();
		const low = clientOf(server, 1000);
		const m1 = msg(alice);
		push(low, m1);
		const high = clientOf(server, 2000);
		Y.applyUpdate(high, Y.encodeStateAsUpdate(low)); // e.g. a shared offline store
		const m2 = msg(alice);
		push(high, m2);
		const u = Y.encodeStateAsUpdate(high);
		expect(Y.decodeUpdate(u).structs.map((s) => s.id.client)).toEqual([2000, 1000]); // dependant first
		expect(check(server, u)).toMatchObject({ ok: true, changes: true, newClientIds: [1000, 2000] });
		Y.applyUpdate(server, u);
		expect(server.getArray('messages').toJSON()).toEqual([m1, m2]);
	});

	it('[write-policy] applying accepted updates yields the expected array', () => {
		const server = serverDoc();
		const owners = new Map<number, string>();
		const a = clientOf(server);
		const b = clientOf(server);
		const sys = { ...msg(bob), kind: 'system' };
		const expected: unknown[] = [];
		const accept = (u: Uint8Array, writer: Author) => {
			const r = check(server, u, writer, owners);
			if (!r.ok) throw new Error(r.reason);
			r.newClientIds.forEach((c) => owners.set(c, writer.id));
			Y.applyUpdate(server, u);
			Y.applyUpdate(a, u);
			Y.applyUpdate(b, u);
		};
		server.getArray('messages').push([sys]);
		Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
		expected.push(sys);
		for (const [doc, who] of [[a, alice], [b, bob], [a, alice]] as const) {
			const m = msg(who);
			accept(push(doc, m), who);
			expected.push(m);
		}
		expect(server.getArray('messages').toJSON()).toEqual(expected);
		expect(server.store.pendingStructs).toBeNull();
		expect([...owners.values()].sort()).toEqual([alice.id, bob.id]);
	});
});

describe('write policy: fields the server vouches for (T2)', () => {
	it('[T2] refuses a message whose id is already in the document, or twice in one update', () => {
		const server = serverDoc();
		const first = msg(bob);
		server.getArray('messages').push([first]);
		expect(refused(check(server, push(clientOf(server), { ...msg(alice), id: first.id })))).toMatch(/id "m\d+" is taken/);
		const twin = msg(alice);
		expect(refused(check(server, push(clientOf(server), twin, { ...msg(alice), id: twin.id })))).toMatch(/is taken/);
	});

	it('[T2] refuses times outside the skew window and times that are not whole ms', () => {
		const server = serverDoc();
		for (const at of [8.64e15 + 1, 1e300, -1, T0 - 10 * 60_000, T0 + 10 * 60_000, T0 + 0.5])
			expect(refused(check(server, push(clientOf(server), { ...msg(alice), at })))).toMatch(/^bad message: at/);
		expect(check(server, push(clientOf(server), { ...msg(alice), at: T0 - 60_000 })).ok).toBe(true);
	});

	it('[T2] refuses text with nothing visible, control characters, or not in NFC', () => {
		const server = serverDoc();
		for (const text of ['\u200b\u200b', '\u202e', '\u2066\u2069 ', '\u3164', 'a\u0000b', 'Cafe\u0301'])
			expect(refused(check(server, push(clientOf(server), { ...msg(alice), text })))).toMatch(/^bad message/);
		expect(check(server, push(clientOf(server), { ...msg(alice), text: 'Caf\u00e9 \u202eok\n' })).ok).toBe(true);
	});

	it('[T3] refuses more messages in one update than the documented maximum', () => {
		const server = serverDoc();
		const many = Array.from({ length: 6 }, () => msg(alice));
		expect(refused(check(server, push(clientOf(server), ...many), alice, undefined, undefined, { maxMessages: 5 }))).toMatch(/more than 5 messages/);
		const r = check(server, push(clientOf(server), ...many.slice(0, 5)), alice, undefined, undefined, { maxMessages: 5 });
		expect(r).toMatchObject({ ok: true, messageIds: many.slice(0, 5).map((m) => m.id) });
	});
});

describe('write policy: refused content', () => {
	const refusedMessage = (m: unknown) => refused(check(serverDoc(), push(new Y.Doc(), m)));
	it('[write-policy] refuses a message by another author', () => expect(refusedMessage(msg(bob))).toMatch(/^bad message/));
	it('[write-policy] refuses a wrong role or name', () => {
		expect(refusedMessage(msg({ ...alice, role: 'agent' }))).toMatch(/^bad message/);
		expect(refusedMessage(msg({ ...alice, name: 'Mallory' }))).toMatch(/^bad message/);
	});
	it("[write-policy] refuses kind 'system'", () => expect(refusedMessage({ ...msg(alice), kind: 'system' })).toMatch(/^bad message/));
	it('[write-policy] refuses oversized text', () =>
		expect(refusedMessage(msg(alice, 'x'.repeat(MAX_MESSAGE_TEXT + 1)))).toMatch(/^bad message/));
	it('[write-policy] refuses a nested Y.Map inside a message', () => {
		const map = new Y.Map<unknown>();
		map.set('text', 'hi');
		expect(refusedMessage(map)).toBe('content ContentType not allowed');
	});
	it('[write-policy] refuses a __proto__ key (lib0 readAny sets the prototype)', () => {
		const evil: unknown = JSON.parse(`{"__proto__":{"admin":true},${JSON.stringify(msg(alice)).slice(1)}`);
		const u = push(new Y.Doc(), evil);
		const [decoded] = ((Y.decodeUpdate(u).structs[0] as Y.Item).content as Y.ContentAny).arr as Record<string, unknown>[];
		expect(Object.getPrototypeOf(decoded)).toEqual({ admin: true });
		expect(decoded.admin).toBe(true);
		expect(refused(check(serverDoc(), u))).toMatch(/^bad message/);
	});
});

describe('write policy: refused shapes', () => {
	it('[write-policy] refuses a write to the participants map', () => {
		const client = new Y.Doc();
		const u = capture(client, () => client.getMap('participants').set(alice.id, msg(alice)));
		expect(refused(check(serverDoc(), u))).toBe('writes outside the allowed arrays (participants)');
	});

	it('[write-policy] refuses a map overwrite, which decodes like an append', () => {
		const server = serverDoc();
		server.getMap('participants').set(alice.id, { ...alice, joinedAt: 1 });
		const client = clientOf(server);
		const u = capture(client, () => client.getMap('participants').set(alice.id, msg(alice)));
		const [item] = Y.decodeUpdate(u).structs as Y.Item[];
		expect(item).toMatchObject({ parent: null, parentSub: null, origin: { client: server.clientID } });
		expect(item.content).toBeInstanceOf(Y.ContentAny);
		expect(refused(check(server, u))).toBe('writes outside the allowed arrays');
	});

	it('[write-policy] refuses deleting a message, live or unknown', () => {
		const server = serverDoc();
		server.getArray('messages').push([msg(bob)]);
		const client = clientOf(server);
		expect(refused(check(server, capture(client, () => client.getArray('messages').delete(0, 1))))).toBe('deletes live content');
		push(client, msg(alice)); // never reaches the server
		const del = capture(client, () => client.getArray('messages').delete(0, 1));
		expect(refused(check(server, del))).toBe('deletes unknown content');
	});

	it('[write-policy] refuses a Y.Text root', () => {
		const client = new Y.Doc();
		const u = capture(client, () => client.getText('draft').insert(0, 'hi'));
		expect(refused(check(serverDoc(), u))).toBe('writes outside the allowed arrays (draft)');
	});

	it('[write-policy] refuses a clientID bound to another user', () => {
		const client = new Y.Doc();
		const u = push(client, msg(alice));
		expect(refused(check(serverDoc(), u, alice, new Map([[client.clientID, bob.id]])))).toBe('foreign clientID');
	});

	it("[write-policy] refuses the server's clientID", () => {
		const server = serverDoc();
		server.getArray('messages').push([{ ...msg(bob), kind: 'system' }]);
		const client = clientOf(server);
		client.clientID = server.clientID; // after syncing, or Yjs picks a new one
		expect(refused(check(server, push(client, msg(alice))))).toBe("the server's clientID");
	});

	it('[write-policy] refuses an unbound clientID that already wrote in this doc (e.g. an earlier server)', () => {
		const server = serverDoc();
		server.getArray('messages').push([{ ...msg(bob), kind: 'system' }]);
		const earlier = server.clientID;
		server.clientID = earlier + 1; // reloaded from the log
		const client = clientOf(server);
		client.clientID = earlier;
		expect(refused(check(server, push(client, msg(alice))))).toBe('foreign clientID');
	});

	it('[write-policy] refuses a missing dependency (clock gap, unknown origin) that Yjs would park', () => {
		const server = serverDoc();
		const client = clientOf(server);
		push(client, msg(alice));
		const second = push(client, msg(alice));
		expect(refused(check(server, second))).toBe('missing dependency (clock gap)');
		const other = clientOf(server);
		Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
		const dependant = push(other, msg(alice));
		expect(refused(check(server, dependant))).toBe('missing dependency (unknown origin)');
		const copy = clientOf(server);
		Y.applyUpdate(copy, dependant);
		expect(copy.store.pendingStructs).not.toBeNull(); // why it must be refused before applying
	});

	it('[write-policy] refuses forged GC and Skip structs', () => {
		expect(refused(check(serverDoc(), forge([[new Y.GC(Y.createID(77, 0), 1)]])))).toBe('GC or Skip struct');
		expect(refused(check(serverDoc(), forge([[new Y.Skip(Y.createID(77, 0), 1)]])))).toBe('GC or Skip struct');
	});

	it('[write-policy] refuses a forged origin and rightOrigin in two different allowed arrays', () => {
		const server = serverDoc();
		server.getArray('messages').push([msg(bob)]);
		server.getArray('notes').push([msg(bob)]);
		const u = forge([[forgedItem(Y.createID(77, 0), Y.createID(server.clientID, 0), Y.createID(server.clientID, 1), null, msg(alice))]]);
		expect(refused(check(server, u, alice, new Map(), ['messages', 'notes']))).toBe('origins in different arrays');
	});

	it('[write-policy] refuses a forged repeated client block (Yjs keeps only the last one)', () => {
		const a = forgedItem(Y.createID(77, 0), null, null, 'messages', msg(alice));
		const b = forgedItem(Y.createID(77, 1), Y.createID(77, 0), null, null, msg(alice));
		const u = forge([[a], [b]]);
		expect(refused(check(serverDoc(), u))).toMatch(/^malformed update/);
		const copy = serverDoc();
		Y.applyUpdate(copy, u);
		expect(copy.getArray('messages').length).toBe(0); // the first block was dropped
	});

	it('[write-policy] refuses a forged re-send whose new tail lands in another array than its known head', () => {
		const server = serverDoc();
		const c = 77;
		server.getArray('notes');
		Y.applyUpdate(server, forge([[forgedItem(Y.createID(c, 0), null, null, 'notes', msg(alice))]]));
		const both = new Y.Item(Y.createID(c, 0), null, null, null, null, 'messages' as unknown as Y.AbstractType<unknown>, null, new Y.ContentAny([msg(alice), msg(alice)]));
		const owners = new Map([[c, alice.id]]);
		expect(refused(check(server, forge([[both]]), alice, owners, ['messages', 'notes']))).toBe('origins in different arrays');
	});

	it('[write-policy] refuses forged known structs that Yjs would still park or turn into a root', () => {
		const server = serverDoc();
		server.getArray('messages').push([{ ...msg(bob), kind: 'system' }]);
		const known = (origin: Y.ID | null, parent: string | null) => forge([[forgedItem(Y.createID(server.clientID, 0), origin, null, parent, 1)]]);
		expect(refused(check(server, known(Y.createID(999, 5), null)))).toBe('missing dependency');
		expect(refused(check(server, known(null, 'evil')))).toBe('unknown root type');
		Y.applyUpdate(server, known(null, 'evil'));
		expect(server.share.has('evil')).toBe(true); // why: decoding alone creates the root
	});

	it('[write-policy] refuses bytes that do not decode', () => {
		expect(refused(check(serverDoc(), new Uint8Array([1, 1, 5, 0, 200])))).toBe('undecodable update');
	});
});
