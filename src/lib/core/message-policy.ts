import { ok, refuse, type Result } from './result';
import { hasControlCharacter, hasVisibleCharacter } from './text';
import type { Author, ChatMessage } from './types';
import { MAX_ATTACHMENT_ID, MAX_ATTACHMENTS_PER_MESSAGE } from './attachments';

// Who may write what into a client-written document (ARCHITECTURE "Write policy"):
// one plain JSON object per message, of one exact shape, authored by the writer, with fields the
// server can vouch for (T2): a time near its own clock, text in NFC with something visible.
export const MAX_MESSAGE_TEXT = 4000;
export const MAX_ID = 64;
/** How far a message's `at` may be from the server's clock, either way (ms). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type MessageRefusal = 'BAD_SHAPE' | 'NOT_YOUR_NAME' | 'TOO_LONG' | 'EMPTY' | 'BAD_TIME' | 'BAD_TEXT';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' &&
	v !== null &&
	!Array.isArray(v) &&
	(Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

const hasExactKeys = (v: Record<string, unknown>, keys: readonly string[], optional: readonly string[] = []) => {
	const own = Object.getOwnPropertyNames(v);
	const extra = optional.filter((k) => Object.prototype.hasOwnProperty.call(v, k)).length;
	return own.length === keys.length + extra && keys.every((k) => Object.prototype.hasOwnProperty.call(v, k));
};

const MESSAGE_KEYS = ['id', 'kind', 'author', 'text', 'at'] as const;
const AUTHOR_KEYS = ['id', 'role', 'name'] as const;
/** B9: ids of files uploaded to the chat (the write policy checks whose and where they are). */
const OPTIONAL_KEYS = ['attachments'] as const;

/**
 * Checks one element a client appends to `messages`: a `text` message by `writer` itself, written
 * at about `now` (the server's clock, ms since epoch; null skips only the skew check, for tools
 * that re-check stored messages later).
 */
export function checkClientMessage(value: unknown, writer: Author, now: number | null): Result<ChatMessage, MessageRefusal> {
	if (!isPlainObject(value) || !hasExactKeys(value, MESSAGE_KEYS, OPTIONAL_KEYS))
		return refuse('BAD_SHAPE', 'a message is {id, kind, author, text, at} and optionally attachments');
	const { id, kind, author, text, at } = value;
	const attachments = checkAttachmentIds(value.attachments);
	if (typeof attachments === 'string') return refuse('BAD_SHAPE', attachments);
	if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID)
		return refuse('BAD_SHAPE', 'message id must be a string of 1–64 characters');
	if (kind !== 'text') return refuse('BAD_SHAPE', 'clients may only write text messages');
	if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0)
		return refuse('BAD_SHAPE', 'at must be a time in whole ms since epoch');
	if (now !== null && Math.abs(at - now) > MAX_CLOCK_SKEW_MS)
		return refuse('BAD_TIME', `at must be within ${MAX_CLOCK_SKEW_MS / 60_000} minutes of the server's clock`);
	if (typeof text !== 'string') return refuse('BAD_SHAPE', 'text must be a string');
	if (text.length > MAX_MESSAGE_TEXT) return refuse('TOO_LONG', `text is limited to ${MAX_MESSAGE_TEXT} characters`);
	// A message that carries files may have no text (a pasted screenshot).
	if (!(attachments && text === '') && !hasVisibleCharacter(text)) return refuse('EMPTY', 'a message needs some visible text or a file');
	if (hasControlCharacter(text)) return refuse('BAD_TEXT', 'text must not hold control characters');
	if (text.normalize('NFC') !== text) return refuse('BAD_TEXT', 'text must be in Unicode NFC');
	if (!isPlainObject(author) || !hasExactKeys(author, AUTHOR_KEYS))
		return refuse('BAD_SHAPE', 'author is {id, role, name}');
	if (author.id !== writer.id || author.role !== writer.role || author.name !== writer.name)
		return refuse('NOT_YOUR_NAME', 'a message must be authored by its writer');
	return ok({ id, kind, author: { ...writer }, text, at, ...(attachments ? { attachments } : {}) });
}

/** The `attachments` field: absent, or 1–10 distinct ids; a string says what is wrong. */
function checkAttachmentIds(value: unknown): string[] | undefined | string {
	if (value === undefined) return undefined;
	const problem = `attachments must be 1–${MAX_ATTACHMENTS_PER_MESSAGE} distinct ids of 1–${MAX_ATTACHMENT_ID} characters`;
	if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ATTACHMENTS_PER_MESSAGE) return problem;
	if (!value.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_ATTACHMENT_ID)) return problem;
	if (new Set(value).size !== value.length) return problem;
	return [...value] as string[];
}

/**
 * Builds a message the way the browser client sends it (so both sides share one shape): text in
 * NFC, `at` in whole ms.
 */
export function newTextMessage(author: Author, text: string, now: number, id: string): ChatMessage {
	return {
		id,
		kind: 'text',
		author: { id: author.id, role: author.role, name: author.name },
		text: text.normalize('NFC'),
		at: Math.round(now)
	};
}
