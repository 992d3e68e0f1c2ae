import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { authenticate, SESSION_COOKIE } from '../services/identity/authenticate';
import type { Ctx, Identity } from '../services/context';
import { noteActor, type RequestVars } from './request-log';

/** Who asked, looked up at most once per request and chat (see `identify`). */
export type IdentityVars = { who: (chatId?: string) => Identity | null };
type WithVars = { Variables: IdentityVars & RequestVars };

/**
 * Identity as middleware: every route and the auditor guard ask `c.var.who(chatId?)`, and each
 * answer is looked up once per request and chat (`authenticate`'s order: that chat's customer by
 * its chat cookie, then the session, then a token). The first time a session is seen its cookie is
 * renewed (sliding expiry); the actor is noted for the request log.
 */
export function identify<E extends WithVars>(ctx: Ctx, cookieOptions: () => Parameters<typeof setCookie>[3]): MiddlewareHandler<E> {
	return async (c, next) => {
		const seen = new Map<string, Identity | null>();
		let renewed = false;
		const vars = c as unknown as Context<WithVars>;
		vars.set('who', (chatId) => {
			const key = chatId ?? '';
			if (seen.has(key)) return seen.get(key)!;
			const identity = authenticate(ctx, getCookie(c), { chatId });
			seen.set(key, identity);
			noteActor(c, identity);
			if (identity?.kind === 'user' && !renewed) {
				renewed = true;
				renewSession(c, ctx, cookieOptions);
			}
			return identity;
		});
		await next();
	};
}

/** Sliding expiry: the cookie lives as long as the session row. */
function renewSession(c: Context, ctx: Ctx, cookieOptions: () => Parameters<typeof setCookie>[3]) {
	const token = getCookie(c, SESSION_COOKIE);
	if (token) setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(), maxAge: Math.floor(ctx.config.sessionLifetimeMs / 1000) });
}
