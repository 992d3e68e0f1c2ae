import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Log } from '../ops/log';
import type { Metrics } from '../ops/metrics';
import type { Identity } from '../services/context';

/** What the request log middleware keeps on each request's context. */
export type RequestVars = {
	/** `ctx.log` with this request's id on every line. */
	log: Log;
	requestId: string;
	/** Who asked, once a route looked (`noteActor`). */
	actor: string;
};
type WithVars = { Variables: RequestVars };

/** A request id a proxy or client may send: short, and only characters safe in a header and a log. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;
/** Paths are logged (never the query: it may carry a token); one absurdly long is cut. */
const MAX_LOGGED_PATH = 256;
/** Polled by load balancers and scrapers every few seconds: their lines are debug, not info. */
const QUIET_ROUTES = new Set(['/api/health', '/metrics']);

/**
 * One line per request — method, route pattern, path, status, milliseconds, actor and request id —
 * and its duration in the metrics. The request id comes from `X-Request-Id` when it is sane, is
 * generated otherwise, and is sent back in `X-Request-Id`. Mount it before everything else.
 */
export function requestLog<E extends WithVars>(base: Log, metrics?: Metrics): MiddlewareHandler<E> {
	return async (c, next) => {
		const started = performance.now();
		const given = c.req.header('x-request-id');
		const requestId = given !== undefined && SANE_REQUEST_ID.test(given) ? given : randomUUID();
		const log = base.child({ requestId });
		const vars = c as unknown as Context<WithVars>;
		vars.set('requestId', requestId);
		vars.set('log', log);
		await next();
		c.header('X-Request-Id', requestId);
		const ms = performance.now() - started;
		const route = routeOf(c);
		const status = c.res.status;
		metrics?.httpRequest(c.req.method, route, status, ms / 1000);
		const line = {
			method: c.req.method,
			route,
			path: c.req.path.slice(0, MAX_LOGGED_PATH),
			status,
			ms: Math.round(ms * 10) / 10,
			actor: vars.get('actor') ?? '-'
		};
		if (QUIET_ROUTES.has(route)) log.debug(line, 'request');
		else log.info(line, 'request');
	};
}

/**
 * The pattern of the route that matched (`/api/chats/:id`), also when a middleware answered
 * first (a refused origin, a body too large); `unmatched` when no route did.
 */
function routeOf(c: Context): string {
	const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL');
	return routes.at(-1)?.path ?? 'unmatched';
}

/**
 * Records who is asking, for the request line: `user:<id>`, `customer:<id>` or `anonymous`.
 * A route that never asks (health, topics) logs `-`. Never a name or an email.
 */
export function noteActor(c: Context, identity: Identity | null) {
	if (!identity) return setActor(c, 'anonymous');
	if (identity.kind === 'user') noteActorAs(c, 'user', identity.user.id);
	else noteActorAs(c, 'customer', identity.customerId);
}

/** The same, for a request that made its actor (a sign-in, a new chat's customer). */
export function noteActorAs(c: Context, kind: 'user' | 'customer', id: string) {
	setActor(c, `${kind}:${id}`);
}

const setActor = (c: Context, actor: string) => (c as unknown as Context<WithVars>).set('actor', actor);

/** The request's logger (set by `requestLog`). */
export function requestLogOf(c: Context): Log {
	return (c as unknown as Context<WithVars>).get('log');
}
