// Clickable links in messages (B8, README "Messages"): only http and https URLs become links;
// everything else — javascript:, data:, a URL with a bidi control or a space — stays plain text.

/** A piece of a message: plain text, or a link whose `href` is a checked http(s) URL. */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/** Longest URL made a link; a longer one stays text (a wall of characters hides where it goes). */
export const MAX_LINK = 2048;

// A candidate runs from "http(s)://" to the first space, quote, angle bracket, or any control,
// format (bidi, zero-width) or separator character: those can never be inside a link.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`\p{Cc}\p{Cf}\p{Z}]+/giu;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?]+$/;

/** A closing bracket at the end belongs to the URL only if the URL opened one. */
function trimBrackets(url: string): string {
	let u = url;
	for (const [open, close] of [['(', ')'], ['[', ']']]) {
		while (u.endsWith(close) && u.split(open).length - 1 < u.split(close).length - 1) u = u.slice(0, -1);
	}
	return u;
}

/** The URL as a safe href, or null: http(s) with a host, no credentials, not too long. */
function hrefOf(candidate: string): string | null {
	if (candidate.length > MAX_LINK) return null;
	let url: URL;
	try {
		url = new URL(candidate);
	} catch {
		return null;
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) return null;
	return url.href;
}

/** Splits a message's text into plain parts and link parts, in order; joined, they are the text. */
export function linkParts(text: string): TextPart[] {
	const parts: TextPart[] = [];
	let last = 0;
	for (const match of text.matchAll(CANDIDATE)) {
		let candidate = match[0];
		candidate = trimBrackets(candidate.replace(TRAILING, ''));
		candidate = trimBrackets(candidate).replace(TRAILING, '');
		const href = hrefOf(candidate);
		if (!href) continue;
		const start = match.index;
		if (start > last) parts.push({ text: text.slice(last, start) });
		parts.push({ text: candidate, href });
		last = start + candidate.length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}
