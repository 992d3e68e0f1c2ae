import { MAX_MESSAGE_TEXT } from '$lib/core/message-policy';

// Issue 16, "composer": the server refuses a message over MAX_MESSAGE_TEXT (T3); the composer
// says so before sending — a counter as the limit nears, and a paste that would pass it is
// refused whole with a message, never cut to fit.

/** The counter shows from this many characters on. */
export const COUNTER_FROM = MAX_MESSAGE_TEXT - 500;

const n = (x: number) => x.toLocaleString('en-US');

/** What the counter says for a message of `length` characters (UTF-16 units, as the server counts), or null. */
export function counterText(length: number): string | null {
	if (length < COUNTER_FROM) return null;
	const left = MAX_MESSAGE_TEXT - length;
	return left >= 0 ? `${n(left)} characters left` : `${n(-left)} over the ${n(MAX_MESSAGE_TEXT)}-character limit`;
}

/**
 * Why a paste of `pasted` into `text` (replacing its selection `from`–`to`) is refused, or null
 * when the message stays within the limit.
 */
export function pasteRefusal(text: string, from: number, to: number, pasted: string): string | null {
	const after = text.length - (to - from) + pasted.length;
	if (after <= MAX_MESSAGE_TEXT) return null;
	const what =
		text.length - (to - from) === 0 ? `That paste is ${n(pasted.length)} characters` : `With that paste the message would be ${n(after)} characters`;
	return `${what}; a message holds at most ${n(MAX_MESSAGE_TEXT)}, so nothing was pasted. Send it in shorter parts.`;
}

/** Why a message of `length` characters cannot be sent, or null. */
export function overLimit(length: number): string | null {
	const over = length - MAX_MESSAGE_TEXT;
	return over > 0 ? `This message is ${n(over)} characters over the limit of ${n(MAX_MESSAGE_TEXT)}. Shorten it to send.` : null;
}
