import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { getRequestListener } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { cacheStatements } from './db/statement-cache';
import type { ServerOptions } from './server-options';
import { openStorage } from './storage/open';
import { isEmpty, seedDemo } from './db/seed';
import { newId } from './auth/tokens';
import { liveSessionIds, sessionLifetimeMs } from './auth/sessions';
import { originAllowed } from './auth/origin';
import { LoginLimiter } from './auth/login-limiter';
import { loadSourceSecret } from './auth/source-key';
import { loadConfig } from './config';
import { DocRegistry } from './sync/doc-registry';
import { createGateway } from './sync/gateway';
import { startWalCheckpointer } from './sync/wal-checkpointer';
import * as CLOSE from '../src/lib/core/close-codes';
import { createApi } from './http/app';
import { createOpsApp } from './http/ops-routes';
import { setSecurityHeaders } from './http/security-headers';
import { allowWidgetFraming } from './http/widget-frame';
import { contextFor, type AppServices } from './services/context';
import { expireConferenceRequests } from './services/conference/expire-conference-requests';
import { authorizeSync } from './services/identity/authorize-sync';
import { createLog } from './ops/log';
import { Metrics } from './ops/metrics';
import { CountingStorage } from './ops/counting-storage';
import { FolderBlobs } from './storage/folder-blobs';
import { KnownUploads } from './sync/known-uploads';
import { uploadsOfChat } from './services/attachments/attachment-rows';
import { sweepAttachments } from './services/attachments/sweep-attachments';
import { mailerOf, startQueueJob } from './services/chats/queue-job';
import type { Bus } from './bus/bus';
import { instanceName, openRedisBus } from './bus/open';
import { FanOut } from './sync/fan-out';
import type { SocketAction } from './sync/socket-actions';
import { onceAcrossInstances, ourTurn } from './ops/exactly-once';

export type { ServerOptions } from './server-options';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

async function loadWebApp(): Promise<NodeHandler | null> {
	const file = resolve(ROOT, 'build/handler.js');
	if (!existsSync(file)) return null;
	return (await import(pathToFileURL(file).href)).handler as NodeHandler;
}

/**
 * One process, one port: /api/* to Hono, /sync/* WebSocket upgrades to the gateway, everything
 * else to the SvelteKit app (adapter-node's handler). Migrates and seeds an empty database.
 */
export async function startServer(opts: ServerOptions = {}) {
	const config = opts.config ?? loadConfig();
	const log = createLog(opts.logLevel ?? (opts.silent ? 'silent' : config.logLevel), opts.logDestination);
	const metrics = new Metrics();
	// A program that names its database uses that one only (never the environment's DATABASE_URL).
	const named = opts.dataDir !== undefined || opts.databaseUrl !== undefined;
	const opened = await openStorage(named ? { databaseUrl: opts.databaseUrl, dataDir: opts.dataDir } : { databaseUrl: config.databaseUrl, dataDir: config.dataDir });
	// Every appended update is counted for the metrics (parley_updates_appended).
	const storage = new CountingStorage(opened.port, metrics);
	if (opened.sqlite) cacheStatements(opened.sqlite.connection);
	if (await isEmpty(storage.facts)) await seedDemo(storage.facts, storage.log);
	// Checkpoints of SQLite's write-ahead log run on their own thread (commits never stall on them).
	const syncError = (what: string, err: unknown) => log.error({ err }, what);
	const checkpointer = opened.sqlite ? startWalCheckpointer(opened.sqlite.connection, opened.sqlite.file, syncError) : null;
	const now = opts.now ?? Date.now;
	const docs = new DocRegistry(storage, now, opts.graceMs ?? config.docGraceMs, undefined, syncError);
	// B5: with a bus (REDIS_URL), what this instance commits reaches the others' documents.
	const instance = opts.instance ?? instanceName();
	const redisUrl = opts.redisUrl !== undefined ? opts.redisUrl : config.redisUrl;
	let bus: Bus | null = opts.bus ?? null;
	let ownBus = false;
	if (!bus && redisUrl) {
		if (storage.dialect !== 'postgres') {
			await storage.close();
			throw new Error('REDIS_URL is set, but the database is SQLite: several instances need PostgreSQL (DATABASE_URL=postgres://…)');
		}
		try {
			bus = await openRedisBus(redisUrl, opts.redisPrefix ?? config.redisPrefix, instance, (err) => log.error({ err }, 'bus'));
		} catch (err) {
			await storage.close(); // the start stops here: nothing left open behind it
			throw err;
		}
		ownBus = true;
	}
	// Socket actions of other instances: a session's sockets are the gateway's, the rest the registry's.
	const onAction = (action: SocketAction) =>
		action.kind === 'close-session' ? gateway.closeSession(action.session, action.code, action.reason) : docs.doSocketAction(action);
	const fanOut = bus ? new FanOut(bus, instance, docs.fanned, syncError, onAction, opts.clusterCheckMs) : null;
	if (fanOut) {
		await fanOut.start();
		docs.fanOutWith(fanOut);
	}
	const origin = opts.origin !== undefined ? opts.origin : config.origin;
	mkdirSync(dirname(opened.secretBeside), { recursive: true });
	// B9: files in <DATA_DIR>/blobs/; what the write policy knows of them, filled from the table on a miss.
	const blobs = new FolderBlobs(resolve(opts.dataDir ?? config.dataDir, 'blobs'));
	const uploads = new KnownUploads((chatId) => uploadsOfChat(storage.facts, chatId));
	const app: AppServices = {
		store: storage.facts,
		updates: storage.log,
		docs,
		blobs,
		uploads,
		clock: now,
		ids: () => newId(),
		config: {
			sessionLifetimeMs: config.sessionLifetimeMs,
			secureCookies: config.secureCookies ?? origin?.startsWith('https:') ?? false,
			origin,
			chatLimits: { ...config.chatLimits, ...opts.chatLimits },
			trustProxy: opts.trustProxy ?? config.trustProxy,
			sourceSecret: loadSourceSecret(opened.secretBeside, config.sourceKeySecret),
			attachments: { ...config.attachments, ...opts.attachments },
			queue: { giveUpMs: opts.queue?.giveUpMs ?? config.queueGiveUpMs },
			mail: mailerOf({ ...config.mail, ...opts.mail })
		},
		loginLimiter: new LoginLimiter({ ...config.loginLimits, ...opts.loginLimits }),
		log,
		// B5: on every instance, after the decision (sign-out) commits.
		closeSessionSockets: (session) =>
			docs.afterDecision(() => {
				gateway.closeSession(session, CLOSE.ACCESS_ENDED, 'signed out');
				fanOut?.publishAction({ kind: 'close-session', session, code: CLOSE.ACCESS_ENDED, reason: 'signed out' });
			}),
		transact: (run) => docs.decide((tx) => run(tx.facts), opts.faults?.afterDecisionCommit)
	};
	// The server's own jobs act as nobody in particular.
	const system = contextFor(app, null);
	// main wires the gateway to the services through hooks: sync imports no service.
	const gateway = createGateway(
		{
			now,
			originAllowed: (requestOrigin, host) => originAllowed(requestOrigin, host, app.config.origin),
			authorize: (request) => authorizeSync(system, request),
			liveSessions: (ids) => liveSessionIds(app.store, ids, now()),
			onError: syncError,
			refused: (code) => metrics.syncRefusal(code),
			uploads
		},
		docs,
		opts.syncLimits
	);
	// C15: expiry is also checked on accept; the sweep tells requesters and clears offer cards.
	let sweeping = false;
	const sweep = setInterval(async () => {
		if (sweeping) return; // the last sweep is still deciding (a slow store): never two at once
		sweeping = true;
		try {
			// B5: one instance per tick (the others skip it); the expiry is a decision of its own inside.
			await docs.decide(async (tx) => {
				if (await ourTurn(tx, storage.dialect, 'expire-conference-requests')) await expireConferenceRequests({ ctx: system });
			}, opts.faults?.afterDecisionCommit);
		} catch (err) {
			log.error({ err }, 'conference request expiry sweep failed');
		} finally {
			sweeping = false;
		}
	}, 500);
	sweep.unref();
	// B9: uploads no message refers to are deleted once older than ATTACHMENT_UNREFERENCED_SECONDS.
	let sweepingFiles = false;
	const fileSweep = setInterval(async () => {
		if (sweepingFiles) return;
		sweepingFiles = true;
		try {
			await onceAcrossInstances(storage, 'sweep-attachments', async () => {
				await sweepAttachments({ ctx: system });
				await blobs.sweepTemp(Date.now() - 24 * 3600_000);
			});
		} catch (err) {
			log.error({ err }, 'attachment sweep failed');
		} finally {
			sweepingFiles = false;
		}
	}, 10 * 60_000);
	fileSweep.unref();
	// B8: time moves the queue too (the give-up time, business hours); replies to left messages are emailed.
	// B5: each run's work is done by one instance (the others skip that run), as the sweeps above.
	const queueJob = startQueueJob(system, opts.queue?.refreshMs ?? 5000, {
		publish: (work) => docs.decide(async (tx) => void ((await ourTurn(tx, storage.dialect, 'publish-queue')) && (await work()))),
		mail: (work) => onceAcrossInstances(storage, 'mail-replies', work).then(() => undefined)
	});
	let closing = false;
	const readiness = {
		accepting: () => !closing,
		bus: () => (fanOut ? (fanOut.failing ? 'failing' : 'up') : 'off') as 'off' | 'up' | 'failing'
	};
	const api = getRequestListener(createApi(app, { metrics, readiness }).fetch);
	const ops = getRequestListener(createOpsApp({ log, metrics, access: { ...config.metrics, ...opts.metrics } }).fetch);
	// Upgraded /sync/ sockets, from the upgrade until they close (parley_sync_connections).
	const syncSockets = new Set<Duplex>();
	metrics.readFrom({ connections: () => syncSockets.size, documentsLoaded: () => docs.loadedCount() });
	// The SvelteKit app is loaded on the first page request, not at start: a process that only
	// syncs documents and answers the API does not carry it (tens of MB of RSS).
	let web: NodeHandler | null | undefined;
	let webLoading: Promise<NodeHandler | null> | null = null;
	const serveWeb = (handler: NodeHandler | null, req: IncomingMessage, res: ServerResponse) => {
		if (handler) return handler(req, res, () => notFound(res));
		res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
		res.end('The web app is not built yet: run `npm run build` (npm start does it for you).\n');
	};

	const server = createServer((req, res) => {
		setSecurityHeaders(res);
		if (req.url?.startsWith('/api/') || req.url === '/api') return void api(req, res);
		if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) return void ops(req, res);
		timeWebRequest(req, res, metrics);
		// B7: a widget's page may be framed by its sites (a lookup first).
		if (req.url?.startsWith('/widget/'))
			return void allowWidgetFraming(system, req, res).then(() => serveWebNow(req, res), () => serveWebNow(req, res));
		serveWebNow(req, res);
	});
	const serveWebNow = (req: IncomingMessage, res: ServerResponse) => {
		if (web !== undefined) return serveWeb(web, req, res);
		(webLoading ??= loadWebApp().then((h) => (web = h))).then(
			(h) => serveWeb(h, req, res),
			(err) => {
				log.error({ err }, 'loading the web app failed');
				webLoading = null;
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end('The web app could not be loaded.\n');
			}
		);
	};
	server.on('upgrade', (req, socket, head) => {
		if (req.url?.startsWith('/sync/')) {
			syncSockets.add(socket);
			socket.once('close', () => syncSockets.delete(socket));
		}
		gateway.handleUpgrade(req, socket, head);
	});
	await new Promise<void>((ok) => server.listen(opts.port ?? config.port, opts.host ?? config.host, ok));
	const port = (server.address() as AddressInfo).port;
	const url = `http://localhost:${port}`;
	log.info({ url, database: opened.where, store: storage.dialect, instance, bus: bus ? 'on' : 'off' }, 'listening');

	return {
		url,
		port,
		/** The services as the routes get them (tests build their own API on them). */
		app,
		/** The live documents themselves (tests and benchmarks look inside them). */
		docs,
		/** The store behind the ports (tests read its tables through `storage.facts`). */
		storage,
		/** SQLite only: its connection (benchmarks and the crash tests read the file directly). */
		sqlite: opened.sqlite?.connection,
		metrics,
		/** B5: this instance's name on the bus, and the fan-out (null without a bus). */
		instance,
		fanOut,
		/** B5: GET /api/ready answers 503 from now on; everything else is served as before. */
		drain() {
			closing = true;
		},
		async close() {
			closing = true; // GET /api/ready answers 503 from now on
			clearInterval(sweep);
			clearInterval(fileSweep);
			await queueJob.stop();
			gateway.close();
			server.closeAllConnections();
			await new Promise<void>((ok) => server.close(() => ok()));
			await fanOut?.stop();
			await docs.closeAll();
			if (ownBus) await bus?.close();
			await checkpointer?.stop();
			await storage.close();
		}
	};
}
export type RunningServer = Awaited<ReturnType<typeof startServer>>;

/** Pages and files of the web app, in the latency histogram as one route, `web`. */
function timeWebRequest(req: IncomingMessage, res: ServerResponse, metrics: Metrics) {
	const started = performance.now();
	res.once('finish', () => metrics.httpRequest(req.method ?? 'GET', 'web', res.statusCode, (performance.now() - started) / 1000));
}

function notFound(res: ServerResponse) {
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
	res.end('Not found\n');
}
