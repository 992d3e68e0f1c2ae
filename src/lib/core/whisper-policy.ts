import { checkClientMessage, type MessageRefusal } from './message-policy';
import { refuse, type Result } from './result';
import { hasControlCharacter } from './text';
import type { Author, Whisper } from './types';

// What agents write into `chat/<id>/agents` (B2, B3; README "The agents' huddle"): whispers are
// checked exactly like messages (one shape, authored by the writer, the same field rules), and the
// shared draft takes plain text only.

/** Most UTF-16 code units the shared draft may hold (as a message's text: it becomes one). */
export const MAX_DRAFT_TEXT = 4000;

const WHISPER_KEYS = ['id', 'author', 'text', 'at'];

/** Checks one element a client appends to `whispers`: `{id, author, text, at}` (+ attachments), by `writer`. */
export function checkClientWhisper(value: unknown, writer: Author, now: number | null): Result<Whisper, MessageRefusal> {
	const plain = typeof value === 'object' && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));
	const keys = plain ? Object.getOwnPropertyNames(value) : [];
	if (!plain || !WHISPER_KEYS.every((k) => keys.includes(k)) || keys.some((k) => !WHISPER_KEYS.includes(k) && k !== 'attachments'))
		return refuse('BAD_SHAPE', 'a whisper is {id, author, text, at} and optionally attachments');
	// The message rules, field for field (a whisper is a message without `kind`).
	const checked = checkClientMessage({ ...(value as object), kind: 'text' }, writer, now);
	if (!checked.ok) return checked;
	const { kind: _kind, ...whisper } = checked.value;
	return { ok: true, value: whisper };
}

/** Why a piece of text typed into the draft is refused, or null when it is fine. */
export function draftInsertProblem(text: string): string | null {
	return hasControlCharacter(text) ? 'draft text must not hold control characters' : null;
}

/** Builds a whisper the way the console sends it: text in NFC, `at` in whole ms. */
export function newWhisper(author: Author, text: string, now: number, id: string): Whisper {
	return { id, author: { id: author.id, role: author.role, name: author.name }, text: text.normalize('NFC'), at: Math.round(now) };
}

/** B2: whether a whisper mentions `name` as `@Name` (any case; not a longer word's start). */
export function mentions(w: { text: string }, name: string): boolean {
	const at = `@${name}`.toLowerCase();
	const text = w.text.toLowerCase();
	for (let i = text.indexOf(at); i >= 0; i = text.indexOf(at, i + 1)) {
		const next = text.charAt(i + at.length);
		if (next === '' || !/[\p{L}\p{N}_]/u.test(next)) return true;
	}
	return false;
}
