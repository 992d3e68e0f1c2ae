import type { Context, Env, Hono } from 'hono';
import { contextFor, type AppServices, type Identity } from '../services/context';
import { isWriteRequest, refuseAuditorWrite } from '../services/audit/audit-require';
import { searchAuditChats } from '../services/audit/audit-search-chats';
import { getAuditTimeline } from '../services/audit/audit-chat-timeline';
import { getAuditState } from '../services/audit/audit-chat-state';
import { exportAuditTranscript } from '../services/audit/audit-export';

// A2/A3: the auditor's read-only API, and the guard that keeps auditors from writing anywhere.
// Mounted before the other routes so the guard runs first for every endpoint.

/** Mounts the audit API on `app`; `who` is the app's way of telling who is asking. */
export function registerAuditRoutes<E extends Env>(
	app: Hono<E>,
	services: AppServices,
	who: (c: Context<E>, chatId?: string) => Promise<Identity | null>
) {
	/** The verbs' context for this request: the services, acting as whoever asks. */
	const ctxOf = async (c: Context<E>) => contextFor(services, await who(c));

	app.use('/api/*', async (c, next) => {
		if (isWriteRequest(c.req.method, c.req.path)) refuseAuditorWrite(await who(c));
		await next();
	});

	app.get('/api/audit/chats', async (c) => c.json(await searchAuditChats({ ctx: await ctxOf(c), input: { query: c.req.query() } })));
	app.get('/api/audit/chats/:id/timeline', async (c) =>
		c.json(await getAuditTimeline({ ctx: await ctxOf(c), input: { chatId: c.req.param('id') } }))
	);
	app.get('/api/audit/chats/:id/state', async (c) =>
		c.json(await getAuditState({ ctx: await ctxOf(c), input: { chatId: c.req.param('id'), query: c.req.query() } }))
	);
	app.get('/api/audit/chats/:id/export', async (c) => {
		const out = await exportAuditTranscript({ ctx: await ctxOf(c), input: { chatId: c.req.param('id'), query: c.req.query() } });
		c.header('content-disposition', `inline; filename="${out.filename}"`);
		c.header('cache-control', 'no-store');
		if (out.format === 'json') return c.json(out.data);
		// The page is data only: no script may run in it, whatever a message contained.
		c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
		return c.html(out.body);
	});
}
