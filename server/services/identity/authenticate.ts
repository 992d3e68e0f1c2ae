import { eq, sql } from 'drizzle-orm';
import { hashToken } from '../../auth/tokens';
import { validateSessionById } from '../../auth/sessions';
import { preparedFor } from '../../db/prepared';
import type { Ctx, Identity } from '../context';

export const SESSION_COOKIE = 'parley_session';
export const chatCookieName = (chatId: string) => `parley_chat_${chatId}`;

/** A signed-in user from a session token, sliding its expiry. */
export async function userFromSessionToken(ctx: Ctx, token: string | undefined): Promise<Identity | null> {
	return token ? userFromHash(ctx, hashToken(token)) : null;
}

async function userFromHash(ctx: Ctx, hash: string): Promise<Identity | null> {
	const found = await validateSessionById(ctx.store, hash, ctx.clock(), ctx.config.sessionLifetimeMs);
	return found ? { kind: 'user', user: found.user, sessionId: found.session.id } : null;
}

const chatByTokenHash = preparedFor(({ db, t }) =>
	db
		.select({ id: t.chats.id, customerId: t.chats.customerId, name: t.chats.customerName })
		.from(t.chats)
		.where(eq(t.chats.customerTokenHash, sql.placeholder('hash')))
		.prepare('chat_by_token_hash')
);

/** A chat's customer from its per-chat token (cookie or `?token=`). */
export async function customerFromChatToken(ctx: Ctx, token: string | undefined): Promise<Identity | null> {
	return token ? customerFromHash(ctx, hashToken(token)) : null;
}

async function customerFromHash(ctx: Ctx, hash: string): Promise<Identity | null> {
	const chat = (await chatByTokenHash(ctx.store).execute({ hash }))[0];
	return chat ? { kind: 'customer', chatId: chat.id, customerId: chat.customerId, name: chat.name } : null;
}

/**
 * Who is asking, for a request about `chatId` (if any): the customer cookie of that chat,
 * then the session cookie, then a bare token (customer or session).
 */
export async function authenticate(
	ctx: Ctx,
	cookies: Record<string, string>,
	opts: { chatId?: string; token?: string } = {}
): Promise<Identity | null> {
	if (opts.chatId) {
		const customer = await customerFromChatToken(ctx, cookies[chatCookieName(opts.chatId)]);
		if (customer && customer.kind === 'customer' && customer.chatId === opts.chatId) return customer;
	}
	const session = await userFromSessionToken(ctx, cookies[SESSION_COOKIE]);
	if (session) return session;
	if (opts.token) {
		// Hashed once, and about a chat tried as that chat's customer token first (what customers
		// send); both kinds are still tried, so the order only saves a lookup.
		const hash = hashToken(opts.token);
		const found = opts.chatId
			? ((await customerFromHash(ctx, hash)) ?? (await userFromHash(ctx, hash)))
			: ((await userFromHash(ctx, hash)) ?? (await customerFromHash(ctx, hash)));
		if (found) return found;
	}
	return anyChatCustomer(ctx, cookies);
}

// A customer asking about another chat is still that customer (so the answer is 403, not 401).
// At most the first few chat cookies are tried: each costs a hash and a query, and a request
// with hundreds of forged ones must not cost hundreds.
const MAX_CHAT_COOKIES_TRIED = 32;
async function anyChatCustomer(ctx: Ctx, cookies: Record<string, string>): Promise<Identity | null> {
	let tried = 0;
	for (const [name, value] of Object.entries(cookies))
		if (name.startsWith('parley_chat_')) {
			if (++tried > MAX_CHAT_COOKIES_TRIED) break;
			const customer = await customerFromChatToken(ctx, value);
			if (customer) return customer;
		}
	return null;
}

// A malformed %-escape must not throw out of an upgrade handler (it crashed the process): such a
// value is kept as sent, and then simply matches no token.
function decodeCookieValue(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

export function parseCookies(header: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	if (!header) return out;
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i < 0) continue;
		const k = part.slice(0, i).trim();
		if (k && !(k in out)) out[k] = decodeCookieValue(part.slice(i + 1).trim());
	}
	return out;
}
