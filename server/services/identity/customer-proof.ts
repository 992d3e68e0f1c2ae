import { and, eq, inArray, ne } from 'drizzle-orm';
import { hashToken } from '../../auth/tokens';
import type { Facts } from '../../storage/facts';
import { chatCookieName } from './authenticate';

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
export async function holdsProvenChat(store: Facts, customerId: string, tokens: readonly string[]): Promise<boolean> {
	const hashes = [...new Set(tokens.slice(0, MAX_PROOF_TOKENS + 1))].map(hashToken);
	if (hashes.length === 0) return false;
	const { db, t } = store;
	const found = await db
		.select({ id: t.chats.id })
		.from(t.chats)
		.where(and(inArray(t.chats.customerTokenHash, hashes), eq(t.chats.customerId, customerId), ne(t.chats.identity, 'claimed')))
		.limit(1);
	return found.length > 0;
}
