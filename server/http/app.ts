import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { originAllowed } from '../auth/origin';
import { contextFor, DomainError, type AppServices, type Ctx, type Identity } from '../services/context';
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
import { sendDraft } from '../services/huddle/send-draft';
import { listSupervisedChats } from '../services/huddle/list-supervised-chats';
import { dismissBanner } from '../services/conference/dismiss-banner';
import { listChatConfigurations } from '../services/admin/list-chat-configurations';
import { updateChatConfiguration } from '../services/admin/update-chat-configuration';
import { listAgents } from '../services/chats/list-agents';
import { registerCannedRoutes } from './canned-routes';
import { registerTeamRoutes } from './team-routes';
import { createChatConfiguration } from '../services/admin/create-chat-configuration';
import { registerAuditRoutes } from './audit-routes';
import { requestTransfer } from '../services/conference/request-transfer';
import { listRecords } from '../services/records/list-records';
import { attachRecord } from '../services/records/attach-record';
import { removeRecord } from '../services/records/remove-record';
import { getWorkspace } from '../services/records/get-workspace';
import { getHistory } from '../services/chats/get-history';
import { setTopicHours } from '../services/admin/set-topic-hours';
import { leaveMessage } from '../services/chats/leave-message';
import { rateChat } from '../services/chats/rate-chat';
import { emailTranscript } from '../services/chats/email-transcript';
import { storeProbe } from '../db/probe';
import type { Metrics } from '../ops/metrics';
import { noteActorAs, requestLog, requestLogOf, type RequestVars } from './request-log';
import { identify, type IdentityVars } from './identity';
import { registerHealthRoute, registerReadyRoute, type Readiness } from './ops-routes';
import { isUploadRequest, registerAttachmentRoutes } from './attachment-routes';
import { registerWidgetRoutes } from './widget-routes';

type Env = { Bindings: { incoming?: { socket?: { remoteAddress?: string } } }; Variables: RequestVars & IdentityVars };

const MAX_BODY_BYTES = 64 * 1024;

/** The /api routes: parse, call one verb, map errors. No rules live here. */
export function createApi(app: AppServices, ops: { metrics?: Metrics; readiness?: Readiness } = {}) {
	const api = new Hono<Env>();
	// First: every answer below, refusals included, gets its request id, log line and timing.
	api.use('*', requestLog(app.log, ops.metrics));
	const cookieBase = () => ({ httpOnly: true, sameSite: 'Lax' as const, path: '/', secure: app.config.secureCookies });

	api.onError((err, c) => {
		if (err instanceof DomainError) {
			if (err.retryAfterSec !== undefined) c.header('Retry-After', String(err.retryAfterSec));
			return c.json(errorBody(err.code, err.message), statusOf(err.code));
		}
		if (err instanceof SyntaxError)
			return c.json(errorBody('BAD_INPUT', 'body: not valid JSON'), statusOf('BAD_INPUT'));
		requestLogOf(c).error({ err }, 'request failed');
		return c.json(errorBody('INTERNAL', 'something went wrong on our side; please try again'), statusOf('INTERNAL'));
	});
	api.notFound((c) => c.json(errorBody('NOT_FOUND', `no such endpoint: ${c.req.method} ${c.req.path}`), statusOf('NOT_FOUND')));

	// Every JSON body we accept is small; a huge one is refused before it is read into memory.
	// (An upload streams its file and has a limit of its own: attachment-routes.ts.)
	const jsonLimit = bodyLimit({
		maxSize: MAX_BODY_BYTES,
		onError: (c) => c.json(errorBody('TOO_LARGE', `body: larger than ${MAX_BODY_BYTES / 1024} KiB`), statusOf('TOO_LARGE'))
	});
	api.use('*', (c, next) => (isUploadRequest(c.req.method, c.req.path) ? next() : jsonLimit(c, next)));

	// State-changing requests from another site's page are refused (CSRF).
	api.use('*', async (c, next) => {
		if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !originAllowed(c.req.header('origin'), c.req.header('host'), app.config.origin))
			throw new DomainError('FORBIDDEN', 'request from a foreign origin refused');
		await next();
	});

	api.use('*', identify<Env>(app, cookieBase));
	const who = (c: Context<Env>, chatId?: string) => c.var.who(chatId);
	/** The verb's context: the services, acting as whoever asked (for that chat, when one is named). */
	const as = async (c: Context<Env>, chatId?: string): Promise<Ctx> => contextFor(app, await who(c, chatId));
	/** For the routes open to anyone, where who asks does not matter (and is not looked up). */
	const anyone = (): Ctx => contextFor(app, null);
	/** T3: the keyed source of the request (its client address, see client-address.ts). */
	const source = (c: Context<Env>) => {
		const address = clientAddress(c.env?.incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), app.config.trustProxy);
		return sourceKey(app.config.sourceSecret, sourceOf(address));
	};
	const body = async (c: Context<Env>): Promise<unknown> => {
		const text = await c.req.text();
		return text ? JSON.parse(text) : {};
	};
	const chatId = (c: Context<Env>) => c.req.param('id') as string;

	registerAuditRoutes(api, app, who);
	registerAttachmentRoutes(api, app, who as (c: Context, chatId?: string) => Promise<Identity | null>);
	registerCannedRoutes(api, (c) => as(c), body);

	registerWidgetRoutes(api, { as: (c) => as(c), anyone, body, source, ownOrigin: (o, h) => originAllowed(o, h, app.config.origin) });
	registerHealthRoute(api, { store: storeProbe(app.store) });
	registerReadyRoute(api, storeProbe(app.store), ops.readiness ?? { accepting: () => true, bus: () => 'off' });
	api.get('/api/topics', async (c) => c.json(await listTopics({ ctx: anyone() })));

	api.post('/api/auth/login', async (c) => {
		const result = await login({ ctx: anyone(), input: { body: await body(c), source: source(c) } });
		noteActorAs(c, 'user', result.user.id);
		setCookie(c, SESSION_COOKIE, result.token, { ...cookieBase(), expires: new Date(result.expiresAt) });
		return c.json({ user: result.user });
	});
	api.post('/api/auth/logout', async (c) => {
		const result = await logout({ ctx: await as(c) });
		deleteCookie(c, SESSION_COOKIE, { path: '/' });
		return c.json(result);
	});
	api.get('/api/me', async (c) => c.json({ user: await publicUser({ ctx: await as(c) }) }));

	api.put('/api/agents/me/presence', async (c) => c.json(await setPresence({ ctx: await as(c), input: { body: await body(c) } })));
	api.get('/api/agents/me/chats', async (c) => c.json(await listMyChats({ ctx: await as(c) })));

	api.post('/api/chats', async (c) => {
		const input = { body: await body(c), source: source(c), chatTokens: chatTokensOf(getCookie(c)) };
		const result = await startChat({ ctx: anyone(), input });
		noteActorAs(c, 'customer', result.customer.id);
		setCookie(c, chatCookieName(result.chatId), result.token, { ...cookieBase(), maxAge: 30 * 24 * 3600 });
		return c.json(result, 201);
	});
	api.get('/api/chats/:id', async (c) => c.json(await getChat({ ctx: await as(c, chatId(c)), input: { chatId: chatId(c) } })));
	api.post('/api/chats/:id/accept', async (c) => c.json(await acceptChat({ ctx: await as(c), input: { chatId: chatId(c) } })));
	api.post('/api/chats/:id/decline', async (c) => c.json(await declineChat({ ctx: await as(c), input: { chatId: chatId(c) } })));
	api.post('/api/chats/:id/end', async (c) => c.json(await endChat({ ctx: await as(c, chatId(c)), input: { chatId: chatId(c) } })));

	// B8: nobody left hanging (README "Nobody left hanging"): the chat's customer only.
	api.post('/api/chats/:id/leave-message', async (c) =>
		c.json(await leaveMessage({ ctx: await as(c, chatId(c)), input: { chatId: chatId(c), body: await body(c) } }))
	);
	api.post('/api/chats/:id/rating', async (c) =>
		c.json(await rateChat({ ctx: await as(c, chatId(c)), input: { chatId: chatId(c), body: await body(c) } }), 201)
	);
	api.post('/api/chats/:id/transcript-email', async (c) => c.json(await emailTranscript({ ctx: await as(c, chatId(c)), input: { chatId: chatId(c) } })));

	api.post('/api/chats/:id/leave', async (c) => c.json(await leaveChat({ ctx: await as(c), input: { chatId: chatId(c) } })));
	api.get('/api/supervisor/chats', async (c) => c.json(await listSupervisedChats({ ctx: await as(c) })));
	api.post('/api/chats/:id/draft/send', async (c) => c.json(await sendDraft({ ctx: await as(c), input: { chatId: chatId(c), body: await body(c) } })));
	api.post('/api/chats/:id/conference-requests', async (c) => {
		const input = { chatId: chatId(c), body: await body(c) };
		return c.json(await requestConference({ ctx: await as(c), input }), 201);
	});
	api.post('/api/chats/:id/transfer', async (c) => {
		const input = { chatId: chatId(c), body: await body(c) };
		return c.json(await requestTransfer({ ctx: await as(c), input }), 201);
	});
	api.get('/api/chats/:id/history', async (c) => c.json(await getHistory({ ctx: await as(c), input: { chatId: chatId(c) } })));
	api.get('/api/chats/:id/workspace', async (c) => c.json(await getWorkspace({ ctx: await as(c), input: { chatId: chatId(c) } })));
	api.post('/api/chats/:id/records', async (c) => {
		const input = { chatId: chatId(c), body: await body(c) };
		return c.json(await attachRecord({ ctx: await as(c), input }), 201);
	});
	api.delete('/api/chats/:id/records/:recordId', async (c) =>
		c.json(await removeRecord({ ctx: await as(c), input: { chatId: chatId(c), recordId: c.req.param('recordId') } }))
	);
	api.get('/api/records', async (c) => c.json(await listRecords({ ctx: await as(c), input: { query: c.req.query() } })));
	const requestId = (c: Context<Env>) => c.req.param('id') as string;
	api.post('/api/conference-requests/:id/accept', async (c) =>
		c.json(await acceptConferenceRequest({ ctx: await as(c), input: { requestId: requestId(c) } }))
	);
	api.post('/api/conference-requests/:id/decline', async (c) =>
		c.json(await declineConferenceRequest({ ctx: await as(c), input: { requestId: requestId(c), body: await body(c) } }))
	);
	api.post('/api/conference-requests/:id/cancel', async (c) =>
		c.json(await cancelConferenceRequest({ ctx: await as(c), input: { requestId: requestId(c) } }))
	);
	api.post('/api/banners/:id/dismiss', async (c) => c.json(await dismissBanner({ ctx: await as(c), input: { bannerId: c.req.param('id') } })));
	api.get('/api/agents', async (c) => c.json(await listAgents({ ctx: await as(c) })));

	api.get('/api/admin/chat-configurations', async (c) => c.json(await listChatConfigurations({ ctx: await as(c) })));
	api.get('/api/admin/chat-configurations/:id', async (c) => {
		const all = await listChatConfigurations({ ctx: await as(c) });
		const found = all.configurations.find((x) => x.id === c.req.param('id'));
		if (!found) throw new DomainError('NOT_FOUND', 'no such chat configuration');
		return c.json({ configuration: found, canEdit: all.canEdit, reason: all.reason });
	});
	api.post('/api/admin/chat-configurations', async (c) =>
		c.json(await createChatConfiguration({ ctx: await as(c), input: { body: await body(c) } }), 201)
	);
	registerTeamRoutes(api, (c) => as(c), body);
	api.put('/api/admin/chat-configurations/:id', async (c) => {
		const input = { configurationId: c.req.param('id'), body: await body(c) };
		return c.json(await updateChatConfiguration({ ctx: await as(c), input }));
	});

	api.put('/api/admin/topics/:id/hours', async (c) =>
		c.json(await setTopicHours({ ctx: await as(c), input: { topicId: c.req.param('id'), body: await body(c) } }))
	);

	return api;
}
