import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Env } from 'hono';
import type { HealthProbe } from '../db/probe';
import type { Log } from '../ops/log';
import { PROMETHEUS_CONTENT_TYPE } from '../ops/prometheus';
import type { Metrics } from '../ops/metrics';
import { requestLog, requestLogOf, type RequestVars } from './request-log';

/**
 * GET /api/health: `{ok, store: {ok, kind}}` (and one entry per part added later, e.g. Redis);
 * 200 when every part answers, 503 when one does not. Why a part failed goes to the log, not to
 * whoever asked.
 */
export function registerHealthRoute<E extends Env>(app: Hono<E>, parts: Record<string, HealthProbe>) {
	app.get('/api/health', async (c) => {
		const answer: Record<string, boolean | { ok: boolean; kind: string }> = { ok: true };
		for (const [name, probe] of Object.entries(parts)) {
			try {
				await probe.check();
				answer[name] = { ok: true, kind: probe.kind };
			} catch (err) {
				requestLogOf(c).warn({ err, part: name }, 'health check failed');
				answer[name] = { ok: false, kind: probe.kind };
				answer.ok = false;
			}
		}
		c.header('cache-control', 'no-store');
		return c.json(answer, answer.ok ? 200 : 503);
	});
}

/** What GET /api/ready reads (B5): whether this instance takes traffic, and its fan-out. */
export interface Readiness {
	/** False once the instance is closing (a rolling restart): the balancer stops sending to it. */
	accepting(): boolean;
	/** 'off' (one instance), 'up', or 'failing' (the last publish failed: others lag, see README "Scaling out"). */
	bus(): 'off' | 'up' | 'failing';
}

/**
 * GET /api/ready (B5): 200 `{ready: true, bus}` while this instance may take traffic (started, its
 * store answers, not closing); 503 `{ready: false, bus}` otherwise. A failing bus never makes it
 * unready: its own clients are served as before, the others only lag.
 */
export function registerReadyRoute<E extends Env>(app: Hono<E>, store: HealthProbe, readiness: Readiness) {
	app.get('/api/ready', async (c) => {
		let ready = readiness.accepting();
		if (ready)
			try {
				await store.check();
			} catch (err) {
				requestLogOf(c).warn({ err }, 'readiness: the store does not answer');
				ready = false;
			}
		c.header('cache-control', 'no-store');
		return c.json({ ready, bus: readiness.bus() }, ready ? 200 : 503);
	});
}

export interface MetricsAccess {
	on: boolean;
	/** When set, only `Authorization: Bearer <token>` is answered. */
	token: string | null;
}

/** The app behind GET /metrics (outside /api: it is for a scraper, not for the web app's clients). */
export function createOpsApp(deps: { log: Log; metrics: Metrics; access: MetricsAccess }) {
	const app = new Hono<{ Variables: RequestVars }>();
	app.use('*', requestLog(deps.log, deps.metrics));
	app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no such endpoint: ${c.req.method} ${c.req.path}` } }, 404));
	app.get('/metrics', (c) => {
		if (!deps.access.on)
			return c.json({ error: { code: 'NOT_FOUND', message: 'no such endpoint: GET /metrics (METRICS is off)' } }, 404);
		if (deps.access.token !== null && !bearerMatches(c.req.header('authorization'), deps.access.token)) {
			c.header('WWW-Authenticate', 'Bearer realm="metrics"');
			return c.json({ error: { code: 'NOT_SIGNED_IN', message: 'authorization: send Authorization: Bearer <METRICS_TOKEN>' } }, 401);
		}
		c.header('cache-control', 'no-store');
		return c.body(deps.metrics.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
	});
	return app;
}

/** Compares digests in constant time: neither how much of the token a prober got right nor its length shows. */
function bearerMatches(header: string | undefined, token: string): boolean {
	const digest = (s: string) => createHash('sha256').update(s).digest();
	return timingSafeEqual(digest(header?.match(/^Bearer (\S+)$/i)?.[1] ?? ''), digest(token));
}
