import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { authenticate, SESSION_COOKIE } from '../services/identity/authenticate';
import { contextFor, type AppServices, type Identity } from '../services/context';
import { noteActor, type RequestVars } from './request-log';

/** Who asked, looked up at most once per request and chat (see `identify`). */
export type IdentityVars = { who: (chatId?: string) => Promise<Identity | null> };
type WithVars = { Variables: IdentityVars & RequestVars };

/**
 * Identity as middleware: every route and the auditor guard ask `await c.var.who(chatId?)`, and
 * each answer is looked up once per request and chat (`authenticate`'s order: that chat's customer
 * by its chat cookie, then the session, then a token); asking again, even before the first answer
 * came, waits for that same lookup. The first time a session is seen its cookie is renewed
 * (sliding expiry); the actor is noted for the request log.
 */
export function identify<E extends WithVars>(app: AppServices, cookieOptions: () => Parameters<typeof setCookie>[3]): MiddlewareHandler<E> {
	return async (c, next) => {
		// Nobody is known yet: the lookups themselves run as no one, outside any decision.
		const ctx = contextFor(app, null);
		const seen = new Map<string, Promise<Identity | null>>();
		let renewed = false;
		const vars = c as unknown as Context<WithVars>;
		vars.set('who', (chatId) => {
			const key = chatId ?? '';
			let found = seen.get(key);
			if (!found) {
				found = authenticate(ctx, getCookie(c), { chatId, token: bearerOf(c.req.header('authorization')) }).then((identity) => {
					noteActor(c, identity);
					if (identity?.kind === 'user' && !renewed) {
						renewed = true;
						renewSession(c, app, cookieOptions);
					}
					return identity;
				});
				seen.set(key, found);
			}
			return found;
		});
		await next();
	};
}

/**
 * B7: `Authorization: Bearer <chat token>`, for the widget page, which runs in a third-party frame
 * where the SameSite chat cookie is never sent. A header is not ambient (no CSRF risk) and is
 * tried only after the cookies, as `authenticate` says.
 */
function bearerOf(header: string | undefined): string | undefined {
	const token = header?.match(/^Bearer ([A-Za-z0-9_-]{1,256})$/)?.[1];
	return token || undefined;
}

/** Sliding expiry: the cookie lives as long as the session row. */
function renewSession(c: Context, app: AppServices, cookieOptions: () => Parameters<typeof setCookie>[3]) {
	const token = getCookie(c, SESSION_COOKIE);
	if (token) setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(), maxAge: Math.floor(app.config.sessionLifetimeMs / 1000) });
}
