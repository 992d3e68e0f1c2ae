import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkClientUpdate } from '../../server/sync/write-policy';
import { huddleRules } from '../../server/sync/huddle-policy';
import { createRoots } from '../../src/lib/core/doc-roots';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { checkClientWhisper, MAX_DRAFT_TEXT, newWhisper } from '../../src/lib/core/whisper-policy';
import type { Author } from '../../src/lib/core/types';

// B2, B3: a seeded fuzz of the write policy on chat/<id>/agents. Two agents make random edits,
// honest and hostile, each in its own Y.Doc; the policy must take every honest one and refuse
// every hostile one (formatting, embeds, other roots, other authors, deletes and inserts in
// whispers, control characters, a draft past its limit), and the server's document must only
// ever hold plain draft text and valid whispers by their writers.
const T0 = 1_800_000_000_000;
const ADA: Author = { id: 'ada', role: 'agent', name: 'Ada' };
const GRACE: Author = { id: 'grace', role: 'agent', name: 'Grace' };

type Op =
	| { kind: 'type'; at: number; text: string }
	| { kind: 'erase'; at: number; len: number }
	| { kind: 'whisper'; text: string }
	| { kind: 'format'; at: number; len: number }
	| { kind: 'styled'; at: number; text: string }
	| { kind: 'embed'; at: number }
	| { kind: 'asOther'; text: string }
	| { kind: 'unwhisper'; at: number }
	| { kind: 'whisperBefore'; text: string }
	| { kind: 'otherRoot'; name: string }
	| { kind: 'message'; text: string }
	| { kind: 'control'; at: number }
	| { kind: 'flood'; at: number }
	| { kind: 'badWhisper'; variant: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const plain = fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '') || 'a');
const op: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 8, arbitrary: fc.record({ kind: fc.constant('type' as const), at: frac, text: plain }) },
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('erase' as const), at: frac, len: fc.integer({ min: 1, max: 20 }) }) },
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('whisper' as const), text: plain.map((t) => `${t}w`) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('format' as const), at: frac, len: fc.integer({ min: 1, max: 5 }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('styled' as const), at: frac, text: plain }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('embed' as const), at: frac }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('asOther' as const), text: plain }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('unwhisper' as const), at: frac }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('whisperBefore' as const), text: plain }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('otherRoot' as const), name: fc.constantFrom('messages', 'meta', 'notes', 'whispers2') }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('message' as const), text: plain }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('control' as const), at: frac }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('flood' as const), at: frac }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('badWhisper' as const), variant: fc.nat(4) }) }
);

let seq = 0;
/** Makes the op in `doc` as `me`; says whether an honest client could have made it (the policy must take it). */
function apply(doc: Y.Doc, me: Author, o: Op): boolean {
	const draft = doc.getText('draft');
	const whispers = doc.getArray<unknown>('whispers');
	const pos = (at: number) => Math.floor(at * (draft.length + 1));
	const other = me.id === 'ada' ? GRACE : ADA;
	switch (o.kind) {
		case 'type':
			draft.insert(pos(o.at), o.text);
			return draft.length <= MAX_DRAFT_TEXT;
		case 'erase': {
			const at = Math.floor(o.at * draft.length);
			draft.delete(at, Math.min(o.len, draft.length - at));
			return true; // deleting nothing is no update at all
		}
		case 'whisper':
			whispers.push([newWhisper(me, o.text, T0, `w${++seq}`)]);
			return true;
		case 'format':
			if (draft.length === 0) draft.insert(0, 'b', { bold: true });
			else draft.format(Math.floor(o.at * draft.length), o.len, { bold: true });
			return false;
		case 'styled':
			draft.insert(pos(o.at), o.text, { href: 'https://evil.test' });
			return false;
		case 'embed':
			draft.insertEmbed(pos(o.at), { image: 'https://evil.test/x.png' });
			return false;
		case 'asOther':
			whispers.push([newWhisper(other, o.text, T0, `w${++seq}`)]);
			return false;
		case 'unwhisper':
			if (whispers.length === 0) whispers.push([{ id: 1 }]);
			else whispers.delete(Math.floor(o.at * whispers.length), 1);
			return false;
		case 'whisperBefore':
			if (whispers.length === 0) whispers.push([newWhisper(me, o.text, T0 - 3_600_000, `w${++seq}`)]);
			else whispers.insert(0, [newWhisper(me, o.text, T0, `w${++seq}`)]);
			return false;
		case 'otherRoot':
			if (o.name === 'messages') doc.getArray('messages').push([newTextMessage(me, 'hi', T0, `m${++seq}`)]);
			else doc.getMap(o.name).set('k', 'v');
			return false;
		case 'message':
			doc.getArray('messages').push([newTextMessage(me, o.text, T0, `m${++seq}`)]);
			return false;
		case 'control':
			draft.insert(pos(o.at), 'a\u0000b');
			return false;
		case 'flood':
			draft.insert(pos(o.at), 'x'.repeat(MAX_DRAFT_TEXT + 1 - draft.length));
			return false;
		case 'badWhisper': {
			const w = newWhisper(me, 'ok', T0, `w${++seq}`);
			const bad = [{ ...w, kind: 'text' }, { ...w, text: ' ' }, { ...w, at: T0 + 0.5 }, { ...w, id: '' }, { ...w, attachments: ['nope'] }][o.variant];
			whispers.push([bad]);
			return false;
		}
	}
}

describe('[#14 B2][#14 B3] fuzz of the huddle write policy', () => {
	it('[#14 B2][#14 B3] 2,000 seeded edits: every honest one taken, every hostile one refused, the document always clean', () => {
		const server = new Y.Doc();
		createRoots(server, 'chatAgents');
		const owners = new Map<number, string>();
		const ids = new Set<string>();
		const fresh = () => {
			const d = new Y.Doc();
			Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
			return d;
		};
		const clients = new Map<string, Y.Doc>([['ada', fresh()], ['grace', fresh()]]);
		const tally = { taken: 0, refused: 0 };
		const rules = huddleRules({ author: ADA, actor: 'ada', holder: 'h', sessionId: 's', draft: true });
		fc.assert(
			fc.property(fc.array(fc.record({ who: fc.constantFrom(ADA, GRACE), op }), { minLength: 2000, maxLength: 2000 }), (steps) => {
				for (const { who, op: o } of steps) {
					// Each client catches up with the server first (as its socket would).
					const doc = clients.get(who.id)!;
					Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
					const updates: Uint8Array[] = [];
					const listen = (u: Uint8Array) => updates.push(u);
					doc.on('update', listen);
					let honest = false;
					doc.transact(() => {
						honest = apply(doc, who, o);
					});
					doc.off('update', listen);
					if (updates.length === 0) continue;
					const result = checkClientUpdate({
						doc: server,
						update: updates[0],
						writer: who,
						appendOnlyArrays: ['whispers'],
						...rules,
						clientOwners: owners,
						now: T0,
						messageIds: ids,
						concurrent: () => false,
						maxMessages: 10
					});
					expect({ kind: o.kind, taken: result.ok }).toEqual({ kind: o.kind, taken: honest });
					if (result.ok) {
						for (const c of result.newClientIds) owners.set(c, who.id);
						for (const id of result.messageIds) ids.add(id);
						Y.applyUpdate(server, updates[0]);
						tally.taken++;
					} else {
						clients.set(who.id, fresh()); // the browser starts a fresh document after a refusal
						tally.refused++;
					}
				}
				// The server's document: its two roots only, plain draft text, valid whispers.
				expect([...server.share.keys()].sort()).toEqual(['draft', 'whispers']);
				const delta = server.getText('draft').toDelta() as { insert: unknown; attributes?: unknown }[];
				expect(delta.every((d) => typeof d.insert === 'string' && d.attributes === undefined)).toBe(true);
				expect(server.getText('draft').length).toBeLessThanOrEqual(MAX_DRAFT_TEXT);
				for (const w of server.getArray<any>('whispers'))
					expect(checkClientWhisper(w, w.author.id === 'ada' ? ADA : GRACE, T0).ok).toBe(true);
			}),
			{ seed: 20261207, numRuns: 1 }
		);
		console.log(`[fuzz-huddle] taken ${tally.taken}, refused ${tally.refused}`);
		expect(tally.taken).toBeGreaterThan(200);
		expect(tally.refused).toBeGreaterThan(200);
	});
});
