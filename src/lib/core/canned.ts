import { hasControlCharacter, hasVisibleCharacter } from './text';

// Canned replies (issue 16): team-wide ones an admin manages, personal ones each agent manages,
// inserted into the composer with `/` and a search. Placeholders `{customer}` and `{agent}` are
// filled with the chat's customer name and the agent's own name as the reply is inserted.
// Shared by the server (which refuses) and the browser (which says why first).

export const CANNED_TITLE_MAX = 80;
/**
 * A reply is at most one message (MAX_MESSAGE_TEXT; canned.test.ts keeps them equal). Not imported:
 * that would split message-policy into a chunk of its own on the customer page. Placeholders filled
 * may make it longer: the composer says so.
 */
export const CANNED_BODY_MAX = 4000;

export type CannedScope = 'team' | 'personal';

/** One canned reply as the API returns it (README "Canned replies"). */
export interface CannedReply {
	id: string;
	scope: CannedScope;
	title: string;
	body: string;
	/** ms since epoch. */
	updatedAt: number;
}

type Check = { ok: true; value: string } | { ok: false; message: string };

/** Bidi embeddings, overrides and isolates: they could make a title read as something else. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

/** A title: one visible line of plain text, at most CANNED_TITLE_MAX characters. */
export function checkCannedTitle(raw: string): Check {
	const value = raw.trim().normalize('NFC');
	if (/\p{Cc}/u.test(value) || BIDI.test(value)) return { ok: false, message: 'must be one line of plain text (no control or direction characters)' };
	if (!hasVisibleCharacter(value)) return { ok: false, message: 'must not be empty' };
	if ([...value].length > CANNED_TITLE_MAX) return { ok: false, message: `at most ${CANNED_TITLE_MAX} characters` };
	return { ok: true, value };
}

/** A body: text a message may hold (line breaks and tabs allowed, other controls not). */
export function checkCannedBody(raw: string): Check {
	const value = raw.trim().normalize('NFC');
	if (hasControlCharacter(value) || BIDI.test(value)) return { ok: false, message: 'must be plain text (no control or direction characters)' };
	if (!hasVisibleCharacter(value)) return { ok: false, message: 'must not be empty' };
	if (value.length > CANNED_BODY_MAX) return { ok: false, message: `at most ${CANNED_BODY_MAX} characters` };
	return { ok: true, value };
}

/** The reply with `{customer}` and `{agent}` filled in; other braces stay as written. */
export function fillPlaceholders(body: string, names: { customer: string; agent: string }): string {
	// One pass: a name that itself reads "{agent}" is inserted as written, not filled again.
	return body.replace(/\{(customer|agent)\}/g, (_, key: 'customer' | 'agent') => names[key]);
}

/** Replies whose title or text holds every word of `query` (any case); personal ones first. */
export function searchCanned(replies: readonly CannedReply[], query: string): CannedReply[] {
	const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
	const hit = (r: CannedReply) => {
		const hay = `${r.title}\n${r.body}`.toLocaleLowerCase();
		return words.every((w) => hay.includes(w));
	};
	const rank = (r: CannedReply) => (r.scope === 'personal' ? 0 : 1);
	return replies.filter(hit).sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
}
