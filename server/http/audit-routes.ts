import type { Context, Env, Hono } from 'hono';
import type { Ctx, Identity } from '../services/context';
import { isWriteRequest, refuseAuditorWrite } from '../services/audit/audit-require';
import { searchAuditChats } from '../services/audit/audit-search-chats';
import { getAuditTimeline } from '../services/audit/audit-chat-timeline';
import { getAuditState } from '../services/audit/audit-chat-state';
import { exportAuditTranscript } from '../services/audit/audit-export';

// A2/A3: the auditor's read-only API, and the guard that keeps auditors from writing anywhere.
// Mounted before the other routes so the guard runs first for every endpoint.

/** Mounts the audit API on `app`; `who` is the app's way of telling who is asking. */
export function registerAuditRoutes<E extends Env>(app: Hono<E>, ctx: Ctx, who: (c: Context<E>) => Identity | null) {
	app.use('/api/*', async (c, next) => {
		if (isWriteRequest(c.req.method, c.req.path)) refuseAuditorWrite(who(c));
		await next();
	});

	app.get('/api/audit/chats', (c) => c.json(searchAuditChats(ctx, who(c), c.req.query())));
	app.get('/api/audit/chats/:id/timeline', (c) => c.json(getAuditTimeline(ctx, who(c), c.req.param('id'))));
	app.get('/api/audit/chats/:id/state', (c) => c.json(getAuditState(ctx, who(c), c.req.param('id'), c.req.query())));
	app.get('/api/audit/chats/:id/export', (c) => {
		const out = exportAuditTranscript(ctx, who(c), c.req.param('id'), c.req.query());
		c.header('content-disposition', `inline; filename="${out.filename}"`);
		c.header('cache-control', 'no-store');
		if (out.format === 'json') return c.json(out.data);
		// The page is data only: no script may run in it, whatever a message contained.
		c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
		return c.html(out.body);
	});
}
