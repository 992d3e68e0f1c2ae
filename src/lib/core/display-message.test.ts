import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayMessages, isoTime, readMessage, SHOWN_TEXT, validTime, type DisplayMessage } from './display-message';

// T2 on the reading side: whatever a document holds, a reader gets a list it can render.

const pat = { id: 'pat', role: 'customer', name: 'Pat' };
const good = (id: string, text = 'hello', at = Date.UTC(2026, 10, 25, 10, 4)) => ({ id, kind: 'text', author: pat, text, at });
const notice = { id: 'n1', kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text: 'Ada joined the chat', at: 1 };

/** Items no reader can show as a message: they must come out as the unreadable marker. */
const unreadable: [string, unknown][] = [
	['null', null],
	['undefined', undefined],
	['a number', 42],
	['NaN', Number.NaN],
	['a string', 'hello'],
	['a boolean', true],
	['an array', [good('x')]],
	['an empty object', {}],
	['no text', { ...good('a'), text: undefined }],
	['text a number', { ...good('a'), text: 7 }],
	['text an object', { ...good('a'), text: { toString: 'x' } }],
	['text an array', { ...good('a'), text: ['hi'] }],
	['no author', { id: 'a', kind: 'text', text: 'hi', at: 1 }],
	['author null', { ...good('a'), author: null }],
	['author a string', { ...good('a'), author: 'pat' }],
	['author an array', { ...good('a'), author: ['pat'] }],
	['author without id', { ...good('a'), author: { name: 'Pat', role: 'customer' } }],
	['author id a number', { ...good('a'), author: { id: 5, name: 'Pat', role: 'customer' } }],
	['kind unknown', { ...good('a'), kind: 'file' }],
	['kind a number', { ...good('a'), kind: 1 }],
	['no kind', { id: 'a', author: pat, text: 'hi', at: 1 }],
	['fields only on the prototype', Object.create(good('a'))],
	['a __proto__ key decoded into a prototype', Object.setPrototypeOf({ id: 'a' }, good('a'))]
];

/** Items that are messages with something odd: shown, with the odd part made safe. */
const odd: [string, unknown, Partial<DisplayMessage & { at: number | null; text: string }>][] = [
	['time 8.64e15 + 1', good('a', 'hi', 8.64e15 + 1), { kind: 'text', text: 'hi', at: null }],
	['time 1e300', good('a', 'hi', 1e300), { at: null }],
	['time NaN', good('a', 'hi', Number.NaN), { at: null }],
	['time Infinity', good('a', 'hi', Infinity), { at: null }],
	['time -Infinity', good('a', 'hi', -Infinity), { at: null }],
	['time negative', good('a', 'hi', -1), { at: null }],
	['time -8.64e15', good('a', 'hi', -8.64e15), { at: null }],
	['time a string', { ...good('a'), at: '2026-11-25' }, { at: null }],
	['time missing', { ...good('a'), at: undefined }, { at: null }],
	['time exactly the Date limit', good('a', 'hi', 8.64e15), { at: 8.64e15 }],
	['id missing', { ...good('a'), id: undefined }, { id: null, text: 'hello' }],
	['id a number', { ...good('a'), id: 3 }, { id: null }],
	['id empty', { ...good('a'), id: '' }, { id: null }],
	['extra fields', { ...good('a'), html: '<b>', admin: true }, { kind: 'text', text: 'hello' }],
	['author name missing', { ...good('a'), author: { id: 'pat' } }, { author: { id: 'pat', name: 'Unknown', role: 'unknown' } }],
	['author role invented', { ...good('a'), author: { id: 'pat', name: 'Pat', role: 'admin' } }, { author: { id: 'pat', name: 'Pat', role: 'unknown' } }],
	['author name not a string', { ...good('a'), author: { id: 'pat', name: 5, role: 'agent' } }, { author: { id: 'pat', name: 'Unknown', role: 'agent' } }],
	['system notice without author', { id: 'n', kind: 'system', text: 'Ada left', at: 1 }, { kind: 'system', author: { id: 'system', name: 'Parley', role: 'system' } }],
	['an own __proto__ key (as JSON.parse makes it)', JSON.parse(`{"__proto__":{"x":1},"id":"p","kind":"text","author":{"id":"pat","name":"Pat"},"text":"hi","at":5}`), { kind: 'text', text: 'hi', at: 5 }],
	['a bidi override in text and name', { ...good('a', '\u202Eevil'), author: { id: 'pat', name: '\u202EtaP', role: 'customer' } }, { text: '\u202Eevil', author: { id: 'pat', name: '\u202EtaP', role: 'customer' } }]
];

describe('reading stored messages (T2)', () => {
	it.each(unreadable)('[T2] %s is an unreadable message', (_, value) => {
		expect(readMessage(value, 'k')).toMatchObject({ key: 'k', kind: 'unreadable' });
	});

	it.each(odd)('[T2] %s still shows, made safe', (_, value, expected) => {
		expect(readMessage(value, 'k')).toMatchObject(expected);
	});

	it('[T2] a good message and a notice read as they are', () => {
		expect(readMessage(good('m1'), 'k')).toEqual({ key: 'k', id: 'm1', kind: 'text', author: pat, text: 'hello', at: Date.UTC(2026, 10, 25, 10, 4) });
		expect(readMessage(notice, 'k')).toMatchObject({ kind: 'system', text: 'Ada joined the chat', at: 1 });
	});

	it('[T2] an object that throws when read is unreadable, not a crash', () => {
		const trap = new Proxy({}, { get: () => { throw new Error('boom'); }, has: () => { throw new Error('boom'); }, getOwnPropertyDescriptor: () => { throw new Error('boom'); } });
		expect(readMessage(trap, 'k')).toMatchObject({ kind: 'unreadable' });
		expect(displayMessages([trap, good('a')]).map((m) => m.kind)).toEqual(['unreadable', 'text']);
	});

	it('[T2] huge text and names are cut for the screen, never inside a surrogate pair', () => {
		const long = readMessage(good('a', 'x'.repeat(SHOWN_TEXT - 1) + '😀' + 'y'.repeat(10)), 'k') as { text: string };
		expect(long.text).toBe('x'.repeat(SHOWN_TEXT - 1) + '…');
		const name = readMessage({ ...good('a'), author: { id: 'p', name: 'n'.repeat(1e6) } }, 'k') as { author: { name: string } };
		expect(name.author.name.length).toBeLessThanOrEqual(201);
		expect((readMessage(good('a', 'z'.repeat(1e6)), 'k') as { text: string }).text.length).toBe(SHOWN_TEXT + 1);
	});

	it('[T2] a whisper (no kind) reads as text when asked', () => {
		expect(readMessage({ id: 'w', author: pat, text: 'psst', at: 1 }, 'k', 'text')).toMatchObject({ kind: 'text', text: 'psst' });
	});
});

describe('a stored list for a keyed {#each} (T2)', () => {
	it('[T2] one bad item keeps its place; the good ones around it show', () => {
		const list = displayMessages([good('a', 'first'), null, good('b', 'third', 1e300), 'junk', notice, good('c', 'last')]);
		expect(list.map((m) => m.kind)).toEqual(['text', 'unreadable', 'text', 'unreadable', 'system', 'text']);
		expect(list.map((m) => ('text' in m ? m.text : null))).toEqual(['first', null, 'third', null, 'Ada joined the chat', 'last']);
	});

	it('[T2] keys are unique when ids repeat, are missing or look like the other kind of key', () => {
		const list = displayMessages([good('a'), good('a'), good('#1'), { ...good('x'), id: undefined }, good('id:a'), null, good('a'), good('__proto__'), good('__proto__')]);
		const keys = list.map((m) => m.key);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys[0]).toBe('id:a');
		expect(list[1]).toMatchObject({ kind: 'text', id: 'a' });
	});

	it('[T2] a value that is not an array is an empty list; holes are unreadable items', () => {
		for (const v of [null, undefined, 5, 'abc', { 0: good('a'), length: 1 }]) expect(displayMessages(v)).toEqual([]);
		// eslint-disable-next-line no-sparse-arrays
		expect(displayMessages([, good('a')]).map((m) => m.kind)).toEqual(['unreadable', 'text']);
	});

	it('[T2] reading the same stored objects again gives the same items (a long log re-renders nothing)', () => {
		const stored = [good('a'), good('b'), good('a')];
		const first = displayMessages(stored);
		const again = displayMessages([...stored, good('c')]);
		expect(again.slice(0, 3)).toEqual(first);
		for (let i = 0; i < 3; i++) expect(again[i]).toBe(first[i]);
	});

	it('[T2] any JSON value as the list or an item: never throws, one item each, unique keys', () => {
		const message = fc.record(
			{
				id: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('a', 'b', '__proto__', 'id:a', '#0'), fc.jsonValue()),
				kind: fc.oneof(fc.constantFrom('text', 'system', 'file'), fc.jsonValue()),
				author: fc.oneof(fc.record({ id: fc.oneof(fc.constantFrom('pat', 'ada'), fc.jsonValue()), name: fc.jsonValue(), role: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
				text: fc.oneof(fc.string(), fc.jsonValue()),
				at: fc.oneof(fc.double(), fc.constantFrom(8.64e15 + 1, 1e300, -1, 0), fc.jsonValue())
			},
			{ requiredKeys: [] }
		);
		fc.assert(
			fc.property(fc.oneof(fc.array(fc.oneof(message, fc.jsonValue())), fc.jsonValue()), (values) => {
				const list = displayMessages(values);
				expect(list.length).toBe(Array.isArray(values) ? values.length : 0);
				expect(new Set(list.map((m) => m.key)).size).toBe(list.length);
				for (const m of list) if (m.kind !== 'unreadable') expect(isoTime(m.at)).toBeTypeOf('string');
			}),
			{ numRuns: 500 }
		);
	});
});

describe('times that never throw (T2)', () => {
	it('[T2] validTime keeps the times a Date can hold and nothing else', () => {
		expect(validTime(0)).toBe(0);
		expect(validTime(8.64e15)).toBe(8.64e15);
		for (const v of [8.64e15 + 1, 1e300, -1, Number.NaN, Infinity, -Infinity, '5', null, undefined, {}, 5n]) expect(validTime(v)).toBeNull();
	});

	it('[T2] isoTime is empty for a bad time, never a RangeError', () => {
		expect(isoTime(Date.UTC(2026, 10, 25))).toBe('2026-11-25T00:00:00.000Z');
		for (const v of [8.64e15 + 1, 1e300, Number.NaN, -Infinity, 'x']) expect(isoTime(v)).toBe('');
		fc.assert(fc.property(fc.double(), (t) => void isoTime(t)));
	});
});

describe('[B9] the files a message carries, read without trust', () => {
	const pat = { id: 'c1', role: 'customer', name: 'Pat' };
	const withFiles = (attachments: unknown) => ({ id: 'm1', kind: 'text', author: pat, text: '', at: 1, attachments });
	it('[B9] ids are kept in order, without repeats; anything that is not an id is left out', () => {
		const long = 'x'.repeat(65);
		const shown = readMessage(withFiles(['a', 'b', 'a', 7, null, '', long, { id: 'c' }, 'c']), 'k');
		expect(shown.kind === 'text' && shown.attachments).toEqual(['a', 'b', 'c']);
	});
	it('[B9] at most 10 are read; none, or not an array, is no attachments', () => {
		const many = readMessage(withFiles(Array.from({ length: 50 }, (_, i) => `f${i}`)), 'k');
		expect(many.kind === 'text' && many.attachments?.length).toBe(10);
		for (const v of [undefined, 'a', { 0: 'a' }, []]) {
			const shown = readMessage(withFiles(v), 'k');
			expect(shown.kind).toBe('text');
			expect(shown.kind === 'text' && shown.attachments).toBeUndefined();
		}
	});
});
