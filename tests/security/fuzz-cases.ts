import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MAX_CLOCK_SKEW_MS, newTextMessage } from '../../src/lib/core/message-policy';
import { hasVisibleCharacter } from '../../src/lib/core/text';
import type { Author } from '../../src/lib/core/types';
import { DEFAULT_LIMITS } from '../../server/sync/limits';
import * as P from '../../server/sync/protocol';
import { forgeUpdate } from './forge';
import { awarenessFrame, updateFrame } from './raw-socket';

// The fuzz's cases: what an attacker sends to the sync gateway, as seeded fast-check values, and
// how each becomes frames against the document as it is now, with the outcomes it may have.

/** What a case ended in: still open after all its frames were read, or a close code. */
export type Outcome = 'accepted' | number;

/** Documented close codes (README "Live documents" and "Limits"); anything else is a crash. */
export const DOCUMENTED: ReadonlySet<number> = new Set([
	P.CLOSE.UPDATE_REFUSED,
	P.CLOSE.NOT_SIGNED_IN,
	P.CLOSE.BAD_FRAME,
	P.CLOSE.FORBIDDEN,
	P.CLOSE.NO_SUCH_DOC,
	P.CLOSE.TOO_LARGE,
	P.CLOSE.TOO_MANY,
	1009
]);

/** Any text an honest client may send: NFC, no controls but tab and line breaks, something visible. */
const text = fc
	.string({ unit: 'binary', minLength: 1, maxLength: 120 })
	.map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '').normalize('NFC'))
	.map((s) => (hasVisibleCharacter(s) ? s : `${s}x`.normalize('NFC')));
const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

export type Spec =
	| { kind: 'append'; texts: string[]; sub: 'update' | 'step2'; asAgent: boolean }
	| { kind: 'insert'; text: string; at: number }
	| { kind: 'resend'; text: string }
	| { kind: 'forgeAuthor'; variant: number; text: string; asAgent: boolean }
	| { kind: 'badShape'; variant: number; asAgent: boolean }
	| { kind: 'mapWrite'; variant: number; key: string }
	| { kind: 'delete'; at: number; len: number }
	| { kind: 'nested'; variant: number }
	| { kind: 'content'; variant: number }
	| { kind: 'unknownRoot'; name: string; variant: number }
	| { kind: 'foreignClient'; victim: 'agent' | 'server' }
	| { kind: 'gcSkip'; variant: number; len: number }
	| { kind: 'gap'; text: string; afterSync: boolean }
	| { kind: 'unknownOrigin'; text: string }
	| { kind: 'truncated'; cut: number }
	| { kind: 'bitflip'; flips: { at: number; bit: number }[] }
	| { kind: 'random'; bytes: Uint8Array }
	| { kind: 'unknownType'; type: number; rest: Uint8Array }
	| { kind: 'textFrame'; text: string }
	| { kind: 'oversized'; extra: number }
	| { kind: 'hugeText'; len: number }
	| { kind: 'burst'; n: number }
	| { kind: 'awarenessForge'; n: number; typing: boolean }
	| { kind: 'awarenessBad'; variant: number }
	| { kind: 'readOnly'; key: string }
	| { kind: 'preAuth'; text: string }
	| { kind: 'stateVector'; bytes: Uint8Array }
	| { kind: 'backdate'; at: number; text: string }
	| { kind: 'timeBomb'; variant: number }
	| { kind: 'dupId'; at: number }
	| { kind: 'invisible'; variant: number }
	| { kind: 'flood'; extra: number };

/** Every kind with its weight: mostly refusals, a steady share of honest appends in between. */
export function specArbitrary(opts: { oversized: boolean }): fc.Arbitrary<Spec> {
	const w = (weight: number, arbitrary: fc.Arbitrary<Spec>) => ({ weight, arbitrary });
	return fc.oneof(
		w(10, fc.record({ kind: fc.constant('append' as const), texts: fc.array(text, { minLength: 1, maxLength: 4 }), sub: fc.constantFrom('update' as const, 'step2' as const), asAgent: fc.boolean() })),
		w(4, fc.record({ kind: fc.constant('insert' as const), text, at: frac })),
		w(3, fc.record({ kind: fc.constant('resend' as const), text })),
		w(6, fc.record({ kind: fc.constant('forgeAuthor' as const), variant: fc.nat(7), text, asAgent: fc.boolean() })),
		w(8, fc.record({ kind: fc.constant('badShape' as const), variant: fc.nat(21), asAgent: fc.boolean() })),
		w(5, fc.record({ kind: fc.constant('mapWrite' as const), variant: fc.nat(4), key: fc.string({ maxLength: 12 }) })),
		w(5, fc.record({ kind: fc.constant('delete' as const), at: frac, len: fc.integer({ min: 1, max: 3 }) })),
		w(4, fc.record({ kind: fc.constant('nested' as const), variant: fc.nat(4) })),
		w(4, fc.record({ kind: fc.constant('content' as const), variant: fc.nat(7) })),
		w(3, fc.record({ kind: fc.constant('unknownRoot' as const), name: fc.string({ minLength: 1, maxLength: 12 }), variant: fc.nat(2) })),
		w(4, fc.record({ kind: fc.constant('foreignClient' as const), victim: fc.constantFrom('agent' as const, 'server' as const) })),
		w(3, fc.record({ kind: fc.constant('gcSkip' as const), variant: fc.nat(3), len: fc.integer({ min: 1, max: 1000 }) })),
		w(3, fc.record({ kind: fc.constant('gap' as const), text, afterSync: fc.boolean() })),
		w(3, fc.record({ kind: fc.constant('unknownOrigin' as const), text })),
		w(4, fc.record({ kind: fc.constant('truncated' as const), cut: frac })),
		w(8, fc.record({ kind: fc.constant('bitflip' as const), flips: fc.array(fc.record({ at: frac, bit: fc.nat(7) }), { minLength: 1, maxLength: 3 }) })),
		w(4, fc.record({ kind: fc.constant('random' as const), bytes: bytes(64) })),
		w(2, fc.record({ kind: fc.constant('unknownType' as const), type: fc.integer({ min: 4, max: 1000 }).filter((t) => t !== P.MSG_AUTH), rest: bytes(16) })),
		w(1, fc.record({ kind: fc.constant('textFrame' as const), text: fc.string({ maxLength: 40 }) })),
		w(opts.oversized ? 1 : 0, fc.record({ kind: fc.constant('oversized' as const), extra: fc.integer({ min: 1, max: 64 * 1024 }) })),
		w(2, fc.record({ kind: fc.constant('hugeText' as const), len: fc.integer({ min: 4001, max: 120_000 }) })),
		w(1, fc.record({ kind: fc.constant('burst' as const), n: fc.integer({ min: DEFAULT_LIMITS.frameBurst + 5, max: 3 * DEFAULT_LIMITS.frameBurst }) })),
		w(3, fc.record({ kind: fc.constant('awarenessForge' as const), n: fc.integer({ min: 1, max: 40 }), typing: fc.boolean() })),
		w(2, fc.record({ kind: fc.constant('awarenessBad' as const), variant: fc.nat(4) })),
		w(2, fc.record({ kind: fc.constant('readOnly' as const), key: fc.string({ maxLength: 8 }) })),
		w(1, fc.record({ kind: fc.constant('preAuth' as const), text })),
		w(2, fc.record({ kind: fc.constant('stateVector' as const), bytes: bytes(24) })),
		w(3, fc.record({ kind: fc.constant('backdate' as const), at: frac, text })),
		w(3, fc.record({ kind: fc.constant('timeBomb' as const), variant: fc.nat(TIME_BOMBS.length - 1) })),
		w(3, fc.record({ kind: fc.constant('dupId' as const), at: frac })),
		w(3, fc.record({ kind: fc.constant('invisible' as const), variant: fc.nat(INVISIBLE.length - 1) })),
		w(1, fc.record({ kind: fc.constant('flood' as const), extra: fc.integer({ min: 1, max: 60 }) }))
	);
}

/** Times a client may not write (T2): beyond the Date range, absurd, negative, too far from now, not whole ms. */
const TIME_BOMBS: ((now: number) => number)[] = [
	() => 8.64e15 + 1,
	() => 1e300,
	() => -1,
	(now) => now - MAX_CLOCK_SKEW_MS - 60_000,
	(now) => now + MAX_CLOCK_SKEW_MS + 60_000,
	(now) => now + 0.5,
	() => Number.MAX_SAFE_INTEGER + 2
];
/** Texts that show nothing, hold controls, or are not NFC (T2). */
const INVISIBLE = ['\u200b', '\u200b\u200c\u200d\u2060\ufeff', '\u202e', '\u2066\u2067\u2068\u2069', ' \u3164 ', '\u0301\u0301', 'a\u0000b', 'line\u001bnoise', 'Cafe\u0301'];

/** What the case runner needs to know about the lane it attacks. */
export interface Target {
	state(): Uint8Array; // the chat document's full state now
	messageCount(): number;
	/** The ids of the messages in the document now, in order. */
	messageIds(): string[];
	customer: Author;
	agent: Author;
	/** A clientID bound to the lane's agent, and the server's own. */
	victims: { agent: number; server: number };
}

/** A case made concrete: who sends which frames where, and what may come of it. */
export interface Plan {
	who: 'customer' | 'agent' | 'anonymous';
	doc: 'chat' | 'desk';
	frames: (Uint8Array | string)[];
	expect: Outcome[];
	/** Message ids that must be in the document if the case was accepted. */
	appears: string[];
	/** Message ids that must never be in the document. */
	never: string[];
	/** Awareness clientIDs the case claimed (their user must be the sender's). */
	awarenessIds?: number[];
	/** An offer a read-only write tried to put on the agent's desk (it must never be there). */
	deskOffer?: string;
}

const REFUSED: Outcome[] = [P.CLOSE.UPDATE_REFUSED];

export function plan(spec: Spec, t: Target, tag: string): Plan {
	const asAgent = 'asAgent' in spec && spec.asAgent;
	const me = asAgent ? t.agent : t.customer;
	const other = asAgent ? t.customer : t.agent;
	const who = asAgent ? 'agent' : 'customer';
	const msg = (id: string, body: string, author: Author = me) => newTextMessage(author, body, Date.now(), id);
	const forged = (change: (d: Y.Doc) => void, clientID?: number) => {
		const u = forgeUpdate(t.state(), change, clientID);
		if (!u) throw new Error(`${spec.kind} made no update`);
		return u;
	};
	const refuse = (frames: Uint8Array[], never: string[] = []): Plan => ({ who, doc: 'chat', frames, expect: REFUSED, appears: [], never });
	const fid = `${tag}-f`;

	switch (spec.kind) {
		case 'append': {
			const ids = spec.texts.map((_, i) => `${tag}-v${i}`);
			const u = forged((d) => d.getArray('messages').push(spec.texts.map((x, i) => msg(ids[i], x))));
			const sub = spec.sub === 'update' ? P.SYNC_UPDATE : P.SYNC_STEP2;
			return { who, doc: 'chat', frames: [updateFrame(u, sub)], expect: ['accepted'], appears: ids, never: [] };
		}
		case 'insert': {
			// T1: only an insert at the very end is an append.
			const id = `${tag}-v0`;
			const n = t.messageCount();
			const at = Math.floor(spec.at * (n + 1));
			const u = forged((d) => d.getArray('messages').insert(at, [msg(id, spec.text)]));
			if (at === n) return { who, doc: 'chat', frames: [updateFrame(u)], expect: ['accepted'], appears: [id], never: [] };
			return refuse([updateFrame(u)], [id]);
		}
		case 'backdate': {
			// T1: a hand-made item with no right neighbour after an older message, sent after the
			// socket was given the whole document (the fuzz server has no grace for what is on the wire).
			const doc = new Y.Doc();
			Y.applyUpdate(doc, t.state());
			const items: Y.Item[] = [];
			for (let n = doc.getArray('messages')._start; n !== null; n = n.right) items.push(n);
			const pick = items.length < 2 ? null : items[Math.floor(spec.at * (items.length - 1))];
			const origin = pick === null ? null : Y.createID(pick.id.client, pick.id.clock + Math.floor(spec.at * (pick.length - 1)));
			doc.destroy();
			const client = 1 + (hash(tag) % 2 ** 30);
			const item = new Y.Item(Y.createID(client, 0), null, origin, null, null, (origin ? null : 'messages') as unknown as Y.AbstractType<unknown>, null, new Y.ContentAny([msg(fid, spec.text)]));
			const e = new Y.UpdateEncoderV1();
			encoding.writeVarUint(e.restEncoder, 1);
			encoding.writeVarUint(e.restEncoder, 1);
			e.writeClient(client);
			encoding.writeVarUint(e.restEncoder, 0);
			item.write(e, 0);
			encoding.writeVarUint(e.restEncoder, 0);
			return refuse([updateFrame(new Uint8Array([0]), P.SYNC_STEP1), updateFrame(e.toUint8Array())], [fid]);
		}
		case 'timeBomb':
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([{ ...msg(fid, 'tick'), at: TIME_BOMBS[spec.variant](Date.now()) }])))], [fid]);
		case 'dupId': {
			const taken = t.messageIds();
			const id = taken[Math.floor(spec.at * taken.length)];
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([msg(id, 'same id')])))]);
		}
		case 'invisible':
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([{ ...msg(fid, 'x'), text: INVISIBLE[spec.variant] }])))], [fid]);
		case 'flood': {
			const n = DEFAULT_LIMITS.maxMessagesPerUpdate + spec.extra;
			const ids = Array.from({ length: n }, (_, i) => `${fid}${i}`);
			return refuse([updateFrame(forged((d) => d.getArray('messages').push(ids.map((id) => msg(id, 'flood')))))], ids);
		}
		case 'resend': {
			const id = `${tag}-v0`;
			const u = forged((d) => d.getArray('messages').push([msg(id, spec.text)]));
			return { who, doc: 'chat', frames: [updateFrame(u), updateFrame(u, P.SYNC_STEP2), updateFrame(u)], expect: ['accepted'], appears: [id], never: [] };
		}
		case 'forgeAuthor': {
			const authors: Author[] = [
				other,
				{ id: 'system', role: 'system', name: 'Parley' } as unknown as Author,
				{ ...me, name: `${me.name} ` },
				{ ...me, role: me.role === 'agent' ? 'customer' : 'agent' },
				{ ...me, id: `${me.id}x` },
				{ ...other, name: me.name },
				{ id: 'ada', role: 'agent', name: 'Ada' },
				{ ...me, id: me.id.toUpperCase() === me.id ? `${me.id}a` : me.id.toUpperCase() }
			];
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([msg(fid, spec.text, authors[spec.variant])])))], [fid]);
		}
		case 'badShape': {
			const good = msg(fid, 'hello') as unknown as Record<string, unknown>;
			const variants: unknown[] = [
				{ ...good, kind: 'system' },
				{ ...good, extra: 1 },
				omit(good, 'at'),
				omit(good, 'author'),
				{ ...good, at: 'now' },
				{ ...good, at: Infinity },
				{ ...good, text: '' },
				{ ...good, text: '   \n\t' },
				{ ...good, text: 42 },
				{ ...good, text: ['hello'] },
				{ ...good, id: '' },
				{ ...good, id: 'x'.repeat(65) },
				{ ...good, id: 7 },
				{ ...good, author: null },
				{ ...good, author: 'me' },
				{ ...good, author: { ...me, admin: true } },
				{ ...good, author: omit(me as unknown as Record<string, unknown>, 'name') },
				JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(good).slice(1)}`),
				JSON.parse(JSON.stringify(good).replace('"author"', '"__proto__"')),
				{ ...good, text: 'x'.repeat(4001) },
				[good],
				{ ...good, author: [me] }
			];
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([variants[spec.variant]])))], [fid]);
		}
		case 'mapWrite': {
			const changes: ((d: Y.Doc) => void)[] = [
				(d) => d.getMap('participants').set(spec.key || 'mallory', { id: 'mallory', role: 'agent', name: 'Mallory', joinedAt: 1 }),
				(d) => d.getMap('meta').set('status', 'ended'),
				(d) => d.getMap('meta').set(spec.key || 'x', 1),
				(d) => d.getMap('participants').delete(t.customer.id),
				(d) => d.getMap('meta').delete('status')
			];
			return refuse([updateFrame(forged(changes[spec.variant]))]);
		}
		case 'delete': {
			const n = t.messageCount();
			const at = Math.min(n - 1, Math.floor(spec.at * n));
			return refuse([updateFrame(forged((d) => d.getArray('messages').delete(at, Math.min(spec.len, n - at))))]);
		}
		case 'nested': {
			const make = [() => new Y.Map(), () => new Y.Array(), () => new Y.Text('hi'), () => new Y.XmlFragment(), () => new Y.XmlText('x')];
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([make[spec.variant]() as unknown as object])))]);
		}
		case 'content': {
			const values: unknown[] = ['just a string', 42, null, true, new Uint8Array([1, 2, 3]), [1, 2], {}, -0.5];
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([values[spec.variant]])))]);
		}
		case 'unknownRoot': {
			const name = spec.name === 'messages' ? 'messages2' : spec.name;
			const changes: ((d: Y.Doc) => void)[] = [
				(d) => d.getArray(name).push([msg(fid, 'elsewhere')]),
				(d) => d.getMap(name === 'meta' || name === 'participants' ? `${name}2` : name).set('k', 1),
				(d) => d.getText(name === 'meta' || name === 'participants' ? `${name}3` : name).insert(0, 'x')
			];
			return refuse([updateFrame(forged(changes[spec.variant]))], [fid]);
		}
		case 'foreignClient': {
			const clientID = spec.victim === 'agent' ? t.victims.agent : t.victims.server;
			return refuse([updateFrame(forged((d) => d.getArray('messages').push([msg(fid, 'with your clock')]), clientID))], [fid]);
		}
		case 'gcSkip': {
			const client = 1 + (hash(tag) % 2 ** 30); // a fresh clientID: state 0, no gap
			const e = encoding.createEncoder();
			if (spec.variant === 0 || spec.variant === 1) {
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint(e, client);
				encoding.writeVarUint(e, 0);
				encoding.writeUint8(e, spec.variant === 0 ? 0 : 10); // GC : Skip
				encoding.writeVarUint(e, spec.len);
				encoding.writeVarUint(e, 0); // empty delete set
				return refuse([updateFrame(encoding.toUint8Array(e))]);
			}
			// A valid append followed by a GC (or Skip) of the same client in one update.
			const doc = new Y.Doc();
			Y.applyUpdate(doc, t.state());
			doc.clientID = client;
			let valid: Uint8Array = new Uint8Array();
			doc.on('update', (u: Uint8Array) => (valid = u));
			doc.getArray('messages').push([msg(fid, 'then a gc')]);
			doc.destroy();
			// By hand (mergeUpdates would drop a trailing Skip): one client block of two structs,
			// [1 client][2 structs][client, clock, item][GC or Skip, length][empty delete set].
			if (valid[0] !== 1 || valid[1] !== 1 || valid[valid.length - 1] !== 0) throw new Error('unexpected update layout');
			const e2 = encoding.createEncoder();
			encoding.writeVarUint(e2, 1);
			encoding.writeVarUint(e2, 2);
			encoding.writeUint8Array(e2, valid.subarray(2, valid.length - 1));
			encoding.writeUint8(e2, spec.variant === 2 ? 0 : 10);
			encoding.writeVarUint(e2, spec.len);
			encoding.writeVarUint(e2, 0);
			return refuse([updateFrame(encoding.toUint8Array(e2))], [fid]);
		}
		case 'gap': {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, t.state());
			doc.getArray('messages').push([msg(`${fid}1`, spec.text)]);
			const sv = Y.encodeStateVector(doc);
			doc.getArray('messages').push([msg(`${fid}2`, spec.text)]);
			const second = Y.encodeStateAsUpdate(doc, sv);
			doc.destroy();
			// Before the client's SyncStep2 a gap is set aside (that answer will carry the backlog);
			// after it, a gap is refused. Either way nothing of it is applied.
			if (!spec.afterSync) return { who, doc: 'chat', frames: [updateFrame(second)], expect: ['accepted'], appears: [], never: [`${fid}1`, `${fid}2`] };
			return refuse([updateFrame(new Uint8Array([0, 0]), P.SYNC_STEP2), updateFrame(second)], [`${fid}1`, `${fid}2`]);
		}
		case 'unknownOrigin': {
			const unsent = new Y.Doc();
			Y.applyUpdate(unsent, t.state());
			unsent.getArray('messages').push([msg(`${fid}1`, spec.text)]);
			const doc = new Y.Doc();
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(unsent));
			const sv = Y.encodeStateVector(doc);
			doc.getArray('messages').push([msg(`${fid}2`, spec.text)]);
			const u = Y.encodeStateAsUpdate(doc, sv);
			unsent.destroy();
			doc.destroy();
			return refuse([updateFrame(u)], [`${fid}1`, `${fid}2`]);
		}
		case 'truncated': {
			const frame = updateFrame(forged((d) => d.getArray('messages').push([msg(fid, 'cut short')])));
			const cut = 1 + Math.floor(spec.cut * (frame.length - 1));
			return { who, doc: 'chat', frames: [frame.slice(0, cut)], expect: [P.CLOSE.BAD_FRAME, P.CLOSE.UPDATE_REFUSED], appears: [], never: [fid] };
		}
		case 'bitflip': {
			const u = forged((d) => d.getArray('messages').push([msg(`${tag}-b`, 'flip me')])).slice();
			for (const f of spec.flips) u[Math.floor(f.at * u.length)] ^= 1 << f.bit;
			// Anything may come of it, as long as it is documented and the document stays valid.
			return { who, doc: 'chat', frames: [updateFrame(u)], expect: ['accepted', P.CLOSE.UPDATE_REFUSED], appears: [], never: [] };
		}
		case 'random':
			return { who, doc: 'chat', frames: [spec.bytes], expect: ['accepted', ...DOCUMENTED], appears: [], never: [] };
		case 'unknownType': {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, spec.type);
			encoding.writeUint8Array(e, spec.rest);
			return { who, doc: 'chat', frames: [encoding.toUint8Array(e)], expect: [P.CLOSE.BAD_FRAME], appears: [], never: [] };
		}
		case 'textFrame':
			return { who, doc: 'chat', frames: [spec.text], expect: [P.CLOSE.BAD_FRAME], appears: [], never: [] };
		case 'oversized': {
			const frame = new Uint8Array(DEFAULT_LIMITS.maxFrameBytes + spec.extra);
			frame[0] = P.MSG_QUERY_AWARENESS;
			return { who, doc: 'chat', frames: [frame], expect: [P.CLOSE.TOO_LARGE], appears: [], never: [] };
		}
		case 'hugeText': {
			const u = forged((d) => d.getArray('messages').push([msg(fid, 'y'.repeat(spec.len))]));
			const frame = updateFrame(u);
			const code = frame.length > DEFAULT_LIMITS.maxFrameBytes ? P.CLOSE.TOO_LARGE : P.CLOSE.UPDATE_REFUSED;
			return { who, doc: 'chat', frames: [frame], expect: [code], appears: [], never: [fid] };
		}
		case 'burst':
			return { who, doc: 'chat', frames: Array.from({ length: spec.n }, () => Uint8Array.of(P.MSG_QUERY_AWARENESS)), expect: [P.CLOSE.TOO_MANY], appears: [], never: [] };
		case 'awarenessForge': {
			const ids = Array.from({ length: spec.n }, (_, i) => 2_000_000_000 + ((hash(tag) + i * 7919) % 100_000_000));
			const entries = ids.map((clientId, i) => ({
				clientId,
				clock: 1 + i,
				state: { typing: spec.typing, user: { id: 'ada', name: 'Ada', role: 'agent' } }
			}));
			entries.push({ clientId: t.victims.agent, clock: 10_000, state: { typing: true, user: { id: 'ada', name: 'Ada', role: 'agent' } } });
			return { who, doc: 'chat', frames: [awarenessFrame(entries)], expect: spec.n + 1 > 64 ? [P.CLOSE.BAD_FRAME] : ['accepted'], appears: [], never: [], awarenessIds: [...ids, t.victims.agent] };
		}
		case 'awarenessBad': {
			const frames = [
				awarenessFrame(Array.from({ length: 65 }, (_, i) => ({ clientId: i + 1, clock: 1, state: {} }))),
				awarenessFrame([{ clientId: 5, clock: 1, state: [1, 2] }]),
				awarenessFrame([{ clientId: 5, clock: 1, state: 'x'.repeat(5000) }]),
				Uint8Array.of(P.MSG_AWARENESS, 3, 1, 5, 1, 2, 123, 120),
				Uint8Array.of(P.MSG_AWARENESS, 200)
			];
			return { who, doc: 'chat', frames: [frames[spec.variant]], expect: [P.CLOSE.BAD_FRAME], appears: [], never: [] };
		}
		case 'readOnly':
			return {
				who: 'agent',
				doc: 'desk',
				frames: [updateFrame(forgeUpdate(new Uint8Array([0, 0]), (d) => d.getMap('offers').set(`${tag}${spec.key}`, { id: 'forged' }))!)],
				expect: ['accepted'],
				appears: [],
				never: [],
				deskOffer: `${tag}${spec.key}`
			};
		case 'preAuth':
			return { who: 'anonymous', doc: 'chat', frames: [updateFrame(forged((d) => d.getArray('messages').push([msg(fid, spec.text, t.customer)])))], expect: [P.CLOSE.NOT_SIGNED_IN], appears: [], never: [fid] };
		case 'stateVector':
			return { who, doc: 'chat', frames: [updateFrame(spec.bytes, P.SYNC_STEP1)], expect: ['accepted', P.CLOSE.BAD_FRAME], appears: [], never: [] };
		default: {
			const never: never = spec;
			throw new Error(`unknown case ${JSON.stringify(never)}`);
		}
	}
}

function omit(o: Record<string, unknown>, key: string) {
	const copy = { ...o };
	delete copy[key];
	return copy;
}

function hash(s: string) {
	let h = 0;
	for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
	return Math.abs(h);
}
