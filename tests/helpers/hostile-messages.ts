import type { TestServer } from './server';

// T2 on the reading side: items a `messages` array may hold because an older build, a bug or
// the server itself stored them. Every one is a value Yjs stores and gives back as it is.

const pat = { id: 'old-pat', role: 'customer', name: 'Pat' };
const msg = (id: string, text: string, at: number, author: unknown = pat) => ({ id, kind: 'text', author, text, at });

/** What a reader must make of each hostile item: shown (with its text) or unreadable. */
export interface HostileCase {
	name: string;
	value: unknown;
	/** The text a reader shows for it, or null where it must show "unreadable message". */
	shows: string | null;
}

/**
 * The hostile items, each once; `goodId` is the id of a good message already in the log, so one
 * of them can reuse it. Texts are unique, so a test can find each shown item.
 */
export function hostileCases(goodId: string, now = Date.now()): HostileCase[] {
	return [
		{ name: 'null', value: null, shows: null },
		{ name: 'a number', value: 42, shows: null },
		{ name: 'a bare string', value: 'a bare string', shows: null },
		{ name: 'an array', value: ['an', 'array'], shows: null },
		{ name: 'an empty object', value: {}, shows: null },
		{ name: 'a duplicate id', value: msg(goodId, 'hostile: I reuse an id', now), shows: 'hostile: I reuse an id' },
		{ name: 'at = 8.64e15 + 1', value: msg('h-bomb', 'hostile: time bomb', 8.64e15 + 1), shows: 'hostile: time bomb' },
		{ name: 'at = 1e300', value: msg('h-1e300', 'hostile: far future', 1e300), shows: 'hostile: far future' },
		{ name: 'at = NaN', value: msg('h-nan', 'hostile: not a number', Number.NaN), shows: 'hostile: not a number' },
		{ name: 'a negative time', value: msg('h-neg', 'hostile: before 1970', -86_400_000), shows: 'hostile: before 1970' },
		{ name: 'at a string', value: { ...msg('h-str', 'hostile: time as text', 0), at: 'yesterday' }, shows: 'hostile: time as text' },
		{ name: 'no author', value: { id: 'h-noauthor', kind: 'text', text: 'hostile: nobody wrote me', at: now }, shows: null },
		{ name: 'author a string', value: msg('h-authstr', 'hostile: author is text', now, 'Pat'), shows: null },
		{ name: 'an unknown kind', value: { ...msg('h-kind', 'hostile: a poll', now), kind: 'poll' }, shows: null },
		{ name: 'text a number', value: { ...msg('h-textnum', '', now), text: 7 }, shows: null },
		{ name: 'extra fields and a missing id', value: { kind: 'text', author: pat, text: 'hostile: no id, extras', at: now, html: '<b>x</b>' }, shows: 'hostile: no id, extras' },
		{
			name: 'a __proto__ key',
			value: JSON.parse(`{"__proto__":{"kind":"system","text":"from the prototype"},"id":"h-proto","kind":"text","author":{"id":"old-pat","role":"customer","name":"Pat"},"text":"hostile: proto key","at":${now}}`),
			shows: 'hostile: proto key'
		},
		{ name: 'fields only in a __proto__ key', value: JSON.parse(`{"__proto__":{"id":"h-p2","kind":"text","author":{"id":"x","name":"X"},"text":"hidden","at":1}}`), shows: null },
		{ name: 'a huge text', value: msg('h-huge', 'hostile: huge ' + 'x'.repeat(50_000), now), shows: 'hostile: huge ' },
		{ name: 'bidi overrides in name and text', value: msg('h-rlo', '\u202Ehostile: reversed', now, { id: 'old-eve', role: 'customer', name: '\u202EEve' }), shows: '\u202Ehostile: reversed' }
	];
}

/** How many of the cases must read "unreadable message". */
export const unreadableCount = (cases: readonly HostileCase[]) => cases.filter((c) => c.shows === null).length;

/**
 * Appends the items to a chat's `messages` the way an older build's server did: a server-side
 * document change through the registry, logged like any other update (the write policy of
 * today never sees it).
 */
export async function storeAsOlderBuild(server: TestServer, chatId: string, values: readonly unknown[]) {
	await server.docs.change(`chat/${chatId}`, 'server', (doc) => doc.getArray('messages').push([...values]));
}
