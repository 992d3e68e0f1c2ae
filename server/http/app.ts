import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { originAllowed } from '../auth/origin';
import { DomainError, type Ctx, type Identity } from '../services/context';
import { chatCookieName, SESSION_COOKIE } from '../services/identity/authenticate';
import { acceptChat } from '../services/chats/accept-chat';
import { declineChat } from '../services/chats/decline-chat';
import { endChat } from '../services/chats/end-chat';
import { getChat } from '../services/chats/get-chat';
import { listMyChats } from '../services/chats/list-my-chats';
import { listTopics } from '../services/chats/list-topics';
import { login } from '../services/identity/login';
import { logout } from '../services/identity/logout';
import { publicUser } from '../services/identity/public-user';
import { requireUser } from '../services/identity/require';
import { setPresence } from '../services/chats/set-presence';
import { startChat } from '../services/chats/start-chat';
import { chatTokensOf } from '../services/identity/customer-proof';
import { errorBody, statusOf } from './errors';
import { clientAddress, sourceOf } from './client-address';
import { sourceKey } from '../auth/source-key';
import { requestConference } from '../services/conference/request-conference';
import { acceptConferenceRequest } from '../services/conference/accept-conference-request';
import { declineConferenceRequest } from '../services/conference/decline-conference-request';
import { cancelConferenceRequest } from '../services/conference/cancel-conference-request';
import { leaveChat } from '../services/chats/leave-chat';
import { dismissBanner } from '../services/conference/dismiss-banner';
import { listChatConfigurations } from '../services/admin/list-chat-configurations';
import { updateChatConfiguration } from '../services/admin/update-chat-configuration';
import { listAgents } from '../services/chats/list-agents';
import { registerAuditRoutes } from './audit-routes';
import { requestTransfer } from '../services/conference/request-transfer';
import { listRecords } from '../services/records/list-records';
import { attachRecord } from '../services/records/attach-record';
import { removeRecord } from '../services/records/remove-record';
import { getWorkspace } from '../services/records/get-workspace';
import { getHistory } from '../services/chats/get-history';
import { storeProbe } from '../db/probe';
import type { Metrics } from '../ops/metrics';
import { noteActorAs, requestLog, requestLogOf, type RequestVars } from './request-log';
import { identify, type IdentityVars } from './identity';
import { registerHealthRoute } from './ops-routes';

type Env = { Bindings: { incoming?: { socket?: { remoteAddress?: string } } }; Variables: RequestVars & IdentityVars };

const MAX_BODY_BYTES = 64 * 1024;

/** The /api routes: parse, call one verb, map errors. No rules live here. */
export function createApi(ctx: Ctx, ops: { metrics?: Metrics } = {}) {
	const app = new Hono<Env>();
	// First: every answer below, refusals included, gets its request id, log line and timing.
	app.use('*', requestLog(ctx.log, ops.metrics));
	const cookieBase = () => ({ httpOnly: true, sameSite: 'Lax' as const, path: '/', secure: ctx.config.secureCookies });

	app.onError((err, c) => {
		if (err instanceof DomainError) {
			if (err.retryAfterSec !== undefined) c.header('Retry-After', String(err.retryAfterSec));
			return c.json(errorBody(err.code, err.message), statusOf(err.code));
		}
		if (err instanceof SyntaxError)
			return c.json(errorBody('BAD_INPUT', 'body: not valid JSON'), statusOf('BAD_INPUT'));
		requestLogOf(c).error({ err }, 'request failed');
		return c.json(errorBody('INTERNAL', 'something went wrong on our side; please try again'), statusOf('INTERNAL'));
	});
	app.notFound((c) => c.json(errorBody('NOT_FOUND', `no such endpoint: ${c.req.method} ${c.req.path}`), statusOf('NOT_FOUND')));

	// Every JSON body we accept is small; a huge one is refused before it is read into memory.
	app.use(
		'*',
		bodyLimit({
			maxSize: MAX_BODY_BYTES,
			onError: (c) =>
				c.json(errorBody('TOO_LARGE', `body: larger than ${MAX_BODY_BYTES / 1024} KiB`), statusOf('TOO_LARGE'))
		})
	);

	// State-changing requests from another site's page are refused (CSRF).
	app.use('*', async (c, next) => {
		if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !originAllowed(c.req.header('origin'), c.req.header('host'), ctx.config.origin))
			throw new DomainError('FORBIDDEN', 'request from a foreign origin refused');
		await next();
	});

	app.use('*', identify<Env>(ctx, cookieBase));
	const who = (c: Context<Env>, chatId?: string): Identity | null => c.var.who(chatId);
	/** T3: the keyed source of the request (its client address, see client-address.ts). */
	const source = (c: Context<Env>) => {
		const address = clientAddress(c.env?.incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), ctx.config.trustProxy);
		return sourceKey(ctx.config.sourceSecret, sourceOf(address));
	};
	const body = async (c: Context<Env>) => {
		const text = await c.req.text();
		return text ? JSON.parse(text) : {};
	};

	registerAuditRoutes(app, ctx, who);

	registerHealthRoute(app, { store: storeProbe(ctx.db) });
	app.get('/api/topics', (c) => c.json(listTopics(ctx)));

	app.post('/api/auth/login', async (c) => {
		const result = await login(ctx, await body(c), source(c));
		noteActorAs(c, 'user', result.user.id);
		setCookie(c, SESSION_COOKIE, result.token, { ...cookieBase(), expires: new Date(result.expiresAt) });
		return c.json({ user: result.user });
	});
	app.post('/api/auth/logout', (c) => {
		const result = ctx.decide(() => logout(ctx, who(c)));
		deleteCookie(c, SESSION_COOKIE, { path: '/' });
		return c.json(result);
	});
	app.get('/api/me', (c) => c.json({ user: publicUser(ctx, requireUser(who(c))) }));

	app.put('/api/agents/me/presence', async (c) => {
		const input = await body(c);
		return c.json(ctx.decide(() => setPresence(ctx, who(c), input)));
	});
	app.get('/api/agents/me/chats', (c) => c.json(listMyChats(ctx, who(c))));

	app.post('/api/chats', async (c) => {
		const input = await body(c);
		const result = ctx.decide(() => startChat(ctx, input, source(c), chatTokensOf(getCookie(c))));
		noteActorAs(c, 'customer', result.customer.id);
		setCookie(c, chatCookieName(result.chatId), result.token, { ...cookieBase(), maxAge: 30 * 24 * 3600 });
		return c.json(result, 201);
	});
	app.get('/api/chats/:id', (c) => c.json(getChat(ctx, who(c, c.req.param('id')), c.req.param('id'))));
	app.post('/api/chats/:id/accept', (c) => c.json(ctx.decide(() => acceptChat(ctx, who(c), c.req.param('id')))));
	app.post('/api/chats/:id/decline', (c) => c.json(ctx.decide(() => declineChat(ctx, who(c), c.req.param('id')))));
	app.post('/api/chats/:id/end', (c) => c.json(ctx.decide(() => endChat(ctx, who(c, c.req.param('id')), c.req.param('id')))));

	app.post('/api/chats/:id/leave', (c) => c.json(ctx.decide(() => leaveChat(ctx, who(c), c.req.param('id')))));
	app.post('/api/chats/:id/conference-requests', async (c) => {
		const input = await body(c);
		return c.json(ctx.decide(() => requestConference(ctx, who(c), c.req.param('id'), input)), 201);
	});
	app.post('/api/chats/:id/transfer', async (c) => {
		const input = await body(c);
		return c.json(ctx.decide(() => requestTransfer(ctx, who(c), c.req.param('id'), input)), 201);
	});
	app.get('/api/chats/:id/history', (c) => c.json(getHistory(ctx, who(c), c.req.param('id'))));
	app.get('/api/chats/:id/workspace', (c) => c.json(getWorkspace(ctx, who(c), c.req.param('id'))));
	app.post('/api/chats/:id/records', async (c) => {
		const input = await body(c);
		return c.json(ctx.decide(() => attachRecord(ctx, who(c), c.req.param('id'), input)), 201);
	});
	app.delete('/api/chats/:id/records/:recordId', (c) =>
		c.json(ctx.decide(() => removeRecord(ctx, who(c), c.req.param('id'), c.req.param('recordId'))))
	);
	app.get('/api/records', (c) => c.json(listRecords(ctx, who(c), c.req.query())));
	app.post('/api/conference-requests/:id/accept', (c) => c.json(ctx.decide(() => acceptConferenceRequest(ctx, who(c), c.req.param('id')))));
	app.post('/api/conference-requests/:id/decline', (c) => c.json(ctx.decide(() => declineConferenceRequest(ctx, who(c), c.req.param('id')))));
	app.post('/api/conference-requests/:id/cancel', (c) => c.json(ctx.decide(() => cancelConferenceRequest(ctx, who(c), c.req.param('id')))));
	app.post('/api/banners/:id/dismiss', (c) => c.json(ctx.decide(() => dismissBanner(ctx, who(c), c.req.param('id')))));
	app.get('/api/agents', (c) => c.json(listAgents(ctx, who(c))));

	app.get('/api/admin/chat-configurations', (c) => c.json(listChatConfigurations(ctx, who(c))));
	app.get('/api/admin/chat-configurations/:id', (c) => {
		const all = listChatConfigurations(ctx, who(c));
		const found = all.configurations.find((x) => x.id === c.req.param('id'));
		if (!found) throw new DomainError('NOT_FOUND', 'no such chat configuration');
		return c.json({ configuration: found, canEdit: all.canEdit, reason: all.reason });
	});
	app.put('/api/admin/chat-configurations/:id', async (c) => {
		const input = await body(c);
		return c.json(ctx.decide(() => updateChatConfiguration(ctx, who(c), c.req.param('id'), input)));
	});

	return app;
}
