import { describe, expect, it } from 'vitest';
import { describeDocUpdate, quote, serverOnly, writersOf } from './describe-changes';
import type { DocChange } from './types';

const msg = (id: string, text: string, kind: 'text' | 'system' = 'text') => ({
	id,
	kind,
	author: kind === 'text' ? { id: 'c1', role: 'customer', name: 'Pat' } : { id: 'system', role: 'system', name: 'Parley' },
	text,
	at: 1
});

describe('describing one logged update (A2)', () => {
	it('[A2] a client message reads "Pat: message “hello”" and points at the message', () => {
		const changes: DocChange[] = [{ root: 'messages', op: 'insert', index: 3, values: [msg('m1', 'hello')] }];
		expect(describeDocUpdate(changes, 'Pat')).toEqual({ kind: 'message', summary: 'Pat: message “hello”', refs: { messages: ['m1'] } });
	});

	it('[A2] a join written by the server is kind participant.joined and lists every effect', () => {
		const changes: DocChange[] = [
			{ root: 'meta', op: 'set', key: 'status', value: 'active', old: 'waiting', existed: true },
			{ root: 'participants', op: 'set', key: 'grace', value: { id: 'grace', role: 'agent', name: 'Grace', joinedAt: 5 }, existed: false },
			{ root: 'messages', op: 'insert', index: 4, values: [msg('n1', 'Grace joined the chat', 'system')] }
		];
		const d = describeDocUpdate(changes, 'server');
		expect(d.kind).toBe('participant.joined');
		expect(d.summary).toBe('server: status → active; participant Grace joined; notice “Grace joined the chat”');
		expect(d.refs).toEqual({ participants: ['grace'], messages: ['n1'] });
	});

	it('[A2] leaving and rejoining are told apart from the old participant value', () => {
		const old = { id: 'grace', role: 'agent', name: 'Grace', joinedAt: 5 };
		const left = { ...old, leftAt: 9 };
		expect(describeDocUpdate([{ root: 'participants', op: 'set', key: 'grace', value: left, old, existed: true }], 'server').kind).toBe('participant.left');
		expect(describeDocUpdate([{ root: 'participants', op: 'set', key: 'grace', value: { ...old, joinedAt: 12 }, old: left, existed: true }], 'server').summary)
			.toBe('server: participant Grace rejoined');
		expect(describeDocUpdate([{ root: 'participants', op: 'unset', key: 'grace', old }], 'server').kind).toBe('participant.removed');
	});

	it('[A2] whispers, removals, text edits and unknown roots are still described', () => {
		expect(describeDocUpdate([{ root: 'whispers', op: 'insert', index: 0, values: [{ id: 'w1', text: 'check the refund', author: { name: 'Ada' } }] }], 'Ada'))
			.toEqual({ kind: 'whisper', summary: 'Ada: whisper “check the refund”', refs: { whispers: ['w1'] } });
		expect(describeDocUpdate([{ root: 'messages', op: 'remove', index: 0, count: 1, values: [msg('m1', 'oops')] }], 'server').summary).toBe('server: removed message “oops”');
		expect(describeDocUpdate([{ root: 'draft', op: 'text', delta: [{ retain: 3 }, { insert: 'Hi' }, { delete: 1 }] }], 'Ada').summary).toBe('Ada: draft edited (+2 −1)');
		expect(describeDocUpdate([{ root: 'records', op: 'set', key: 'r1', value: {}, existed: false }], 'server').kind).toBe('records.set');
		expect(describeDocUpdate([], 'Pat')).toEqual({ kind: 'no-change', summary: 'Pat: no visible change' });
		expect(describeDocUpdate([{ root: 'meta', op: 'set', key: 'status', value: 'active', old: 'active', existed: true }], 'server').kind).toBe('no-change');
		expect(describeDocUpdate([
			{ root: 'meta', op: 'set', key: 'status', value: 'ended', old: 'active', existed: true },
			{ root: 'messages', op: 'insert', index: 9, values: [msg('n9', 'Ada ended the chat', 'system')] }
		], 'server')).toMatchObject({ kind: 'status', summary: 'server: status → ended; notice “Ada ended the chat”' });
	});

	it('quotes collapse whitespace and cut long text', () => {
		expect(quote('a\n\n b')).toBe('“a b”');
		expect(quote('x'.repeat(200))).toHaveLength(82);
	});

	it('[T2] a quote holding a bidi override is isolated, so it cannot reorder the summary after it', () => {
		expect(quote('\u202Eevil')).toBe('“\u2068\u202Eevil\u2069”');
		expect(quote('plain')).toBe('“plain”');
	});

	it('[T2] stored items the replay cannot read are named "unreadable message", read from own fields only', () => {
		const values = [null, 7, { ...msg('m1', 'no author'), author: 'Pat' }, Object.create(msg('m2', 'on the prototype')), msg('m3', 'fine')];
		expect(describeDocUpdate([{ root: 'messages', op: 'insert', index: 0, values }], 'server').summary).toBe(
			'server: unreadable message; unreadable message; unreadable message; unreadable message; message “fine”'
		);
	});
});

describe('who wrote an update: a client as itself, or the server (A1)', () => {
	const text = (id: string, author: string) => ({ root: 'messages', op: 'insert', index: 0, values: [{ id, kind: 'text', author: { id: author }, text: 'x', at: 1 }] }) as DocChange;
	const join: DocChange = { root: 'participants', op: 'set', key: 'grace', value: { name: 'Grace' }, existed: false };

	it('[A1] only own text messages and whispers are client-writable', () => {
		expect(serverOnly([text('m', 'pat')], 'pat')).toBe(false);
		expect(serverOnly([text('m', 'ada')], 'pat')).toBe(true);
		expect(serverOnly([join], 'grace')).toBe(true);
		expect(serverOnly([], 'pat')).toBe(false);
	});

	it('[A1] a clientID that ever wrote server-only changes or for two actors is the server', () => {
		const via = writersOf([
			{ actor: 'pat', clients: [1], changes: [join] }, // the server (clientID 1) writes the start for Pat
			{ actor: 'pat', clients: [2], changes: [text('m1', 'pat')] }, // Pat's own client
			{ actor: 'ada', clients: [1], changes: [text('odd', 'ada')] }, // clientID 1 again: still the server
			{ actor: 'server', clients: [], changes: [] }, // delete-only
			{ actor: 'pat', clients: [3], changes: [text('m2', 'pat')] },
			{ actor: 'ada', clients: [3], changes: [text('m3', 'ada')] } // one clientID, two actors: the server's
		]);
		expect(via).toEqual(['server', 'client', 'server', 'server', 'server', 'server']);
	});
});
