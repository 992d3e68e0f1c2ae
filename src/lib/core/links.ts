// Clickable links in messages (B8, README "Nobody left hanging"): only http and https URLs become
// links; everything else — javascript:, data:, a URL with a bidi control or a space — stays text.
// Small on purpose: the customer page's JavaScript has a budget.

/** A piece of a message: plain text, or a link whose `href` is a checked http(s) URL. */
export type TextPart = { text: string; href?: string };

/** Longest URL made a link; a longer one stays text (a wall of characters hides where it goes). */
export const MAX_LINK = 2048;

// From "http(s)://" to the first space, quote, angle bracket, or control, format (bidi,
// zero-width) or separator character: none of those is ever inside a link.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\p{Cc}\p{Cf}\p{Z}]+/giu;

/** Trailing punctuation ends the sentence, not the URL; so does a ")" or "]" the URL did not open. */
function trim(url: string): string {
	for (;;) {
		const last = url.at(-1)!;
		const opener = last === ')' ? '(' : last === ']' ? '[' : null;
		if (!'.,;:!?)]'.includes(last) || (opener && url.split(opener).length > url.split(last).length - 1)) return url;
		url = url.slice(0, -1);
	}
}

/** The URL as a safe href, or null: http(s) with a host, no credentials, not too long. */
function hrefOf(candidate: string): string | null {
	try {
		const url = new URL(candidate);
		return candidate.length <= MAX_LINK && /^https?:$/.test(url.protocol) && url.hostname && !url.username && !url.password ? url.href : null;
	} catch {
		return null;
	}
}

/** Splits a message's text into plain parts and link parts, in order; joined, they are the text. */
export function linkParts(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let last = 0;
	for (const match of text.matchAll(CANDIDATE)) {
		const candidate = trim(match[0]);
		const href = hrefOf(candidate);
		if (!href) continue;
		if (match.index > last) parts.push({ text: text.slice(last, match.index) });
		parts.push({ text: candidate, href });
		last = match.index + candidate.length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}
