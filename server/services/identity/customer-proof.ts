import { and, eq, inArray, ne } from 'drizzle-orm';
import { hashToken } from '../../auth/tokens';
import type { Db } from '../../db/client';
import { chats } from '../../db/schema';
import { chatCookieName } from './authenticate';

type Reader = Pick<Db, 'select'>;

// T4: what proves that whoever starts a chat is the customer behind an email: the token of one
// of that customer's proven chats, which only its browser (the HttpOnly chat cookie) or a client
// that kept the token from `POST /api/chats` holds. A claimed chat's token proves nothing, so an
// impostor cannot turn one claim into the next chat's proof.

/** At most this many chat cookies are looked at: each costs a hash (as in `authenticate`). */
export const MAX_PROOF_TOKENS = 32;

/** The chat tokens a browser sent with a request: the values of its `parley_chat_<id>` cookies. */
export function chatTokensOf(cookies: Record<string, string>): string[] {
	const prefix = chatCookieName('');
	return Object.entries(cookies)
		.filter(([name, value]) => name.startsWith(prefix) && value)
		.slice(0, MAX_PROOF_TOKENS)
		.map(([, value]) => value);
}

/** Whether one of `tokens` is the token of a proven chat of `customerId`. */
export function holdsProvenChat(db: Reader, customerId: string, tokens: readonly string[]): boolean {
	const hashes = [...new Set(tokens.slice(0, MAX_PROOF_TOKENS + 1))].map(hashToken);
	if (hashes.length === 0) return false;
	const found = db
		.select({ id: chats.id })
		.from(chats)
		.where(and(inArray(chats.customerTokenHash, hashes), eq(chats.customerId, customerId), ne(chats.identity, 'claimed')))
		.get();
	return found !== undefined;
}
