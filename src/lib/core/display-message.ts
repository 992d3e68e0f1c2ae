// How every screen and export reads a stored message (T2). The write policy checks what clients
// write today, but a document also holds what older builds and the server itself wrote, so a
// reader trusts nothing: any value becomes either a message that is safe to render or the
// marker of an unreadable one, and nothing here throws.

import { MAX_ATTACHMENT_ID, MAX_ATTACHMENTS_PER_MESSAGE } from './attachments';

/** What a reader shows in place of an item it cannot read. */
export const UNREADABLE = 'unreadable message';

/** The largest time a Date can hold (ms from the epoch); past it, formatting throws. */
const MAX_TIME = 8.64e15;
/** Longest text and name shown; the stored value stays whole (the JSON export has it). */
export const SHOWN_TEXT = 10_000;
const SHOWN_NAME = 200;

export interface ShownAuthor {
	id: string;
	name: string;
	role: 'customer' | 'agent' | 'system' | 'unknown';
}

/** A message as a screen shows it: `at` is null when the stored time is not a usable time. */
export interface ShownMessage {
	key: string;
	id: string | null;
	kind: 'text' | 'system';
	author: ShownAuthor;
	text: string;
	at: number | null;
	/** B9: ids of the files it carries (strings of 1–64 characters, at most 10, no repeats); absent when none. */
	attachments?: string[];
}

/** An item that is not a message this build can read; it keeps its place in the log. */
export interface UnreadableMessage {
	key: string;
	id: string | null;
	kind: 'unreadable';
}

export type DisplayMessage = ShownMessage | UnreadableMessage;

const SYSTEM: ShownAuthor = { id: 'system', name: 'Parley', role: 'system' };

/** A time in ms a Date can format, or null (NaN, ±Infinity, negative, past year 275760, not a number). */
export const validTime = (at: unknown): number | null => (typeof at === 'number' && at >= 0 && at <= MAX_TIME ? at : null);

/** "2026-11-25T10:04:00.000Z", or '' for anything that is not a valid time. Never throws. */
export const isoTime = (at: unknown): string => {
	const t = validTime(at);
	return t === null ? '' : new Date(t).toISOString();
};

// Own properties only: a stored `__proto__` key decodes into a prototype, whose fields are not the message's.
const own = (o: object, k: string): unknown => (Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
/** Cuts long text to `max` UTF-16 units, never inside a surrogate pair. */
const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max).replace(/[\uD800-\uDBFF]$/, '') + '…' : s);
const ROLES: readonly unknown[] = ['customer', 'agent', 'system'];

function readAuthor(v: unknown): ShownAuthor | null {
	if (!isObject(v)) return null;
	const id = str(own(v, 'id'));
	if (id === null) return null;
	const role = own(v, 'role');
	return {
		id,
		name: cut(str(own(v, 'name')) ?? 'Unknown', SHOWN_NAME),
		role: ROLES.includes(role) ? (role as ShownAuthor['role']) : 'unknown'
	};
}

/** B9: the attachment ids an item carries, as far as they can be ids; anything else is left out. */
function readAttachmentIds(v: unknown): string[] {
	if (!Array.isArray(v)) return [];
	const ids = new Set<string>();
	for (const id of v.slice(0, MAX_ATTACHMENTS_PER_MESSAGE)) if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ATTACHMENT_ID) ids.add(id);
	return [...ids];
}

/**
 * One stored item as a screen shows it. A text message needs a string text and an author with
 * an id; a system notice needs a string text; anything else is unreadable. `kind` is assumed
 * when the item has none (whispers are text without a kind).
 */
export function readMessage(value: unknown, key: string, kind?: 'text'): DisplayMessage {
	let id: string | null = null;
	try {
		if (isObject(value)) {
			id = str(own(value, 'id'));
			const k = own(value, 'kind') ?? kind;
			const text = own(value, 'text');
			const author = k === 'system' ? SYSTEM : k === 'text' ? readAuthor(own(value, 'author')) : null;
			if (author && typeof text === 'string') {
				const shown: ShownMessage = { key, id, kind: k as ShownMessage['kind'], author, text: cut(text, SHOWN_TEXT), at: validTime(own(value, 'at')) };
				const files = readAttachmentIds(own(value, 'attachments'));
				return files.length ? { ...shown, attachments: files } : shown;
			}
		}
	} catch {
		// Only exotic objects (a throwing getter, a revoked proxy) get here; Yjs never decodes those.
	}
	return { key, id, kind: 'unreadable' };
}

/** Readings of stored objects, so a re-read of a long log reuses them (keyed lists see the same items). */
const readings = new WeakMap<object, DisplayMessage>();

/**
 * A stored array as a screen shows it, one entry per item in order (unreadable ones keep their
 * place). Keys are unique even when ids repeat or are missing: the first item with an id is keyed
 * by it, any other by its position; the two kinds of key never meet.
 */
export function displayMessages(values: unknown, kind?: 'text'): DisplayMessage[] {
	if (!Array.isArray(values)) return [];
	const ids = new Set<string>();
	// Array.from, not map: a sparse array's holes are items too (unreadable), not gaps in the list.
	return Array.from(values, (value: unknown, i) => {
		const cached = isObject(value) ? readings.get(value) : undefined;
		let shown = cached ?? readMessage(value, '', kind);
		const key = shown.id !== null && !ids.has(shown.id) ? `id:${shown.id}` : `#${i}`;
		if (shown.id !== null) ids.add(shown.id);
		if (shown.key !== key) shown = { ...shown, key };
		if (shown !== cached && isObject(value)) readings.set(value, shown);
		return shown;
	});
}
