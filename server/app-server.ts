import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type Database from 'better-sqlite3';
import { openStore, databaseFile } from './db/client';
import { isEmpty, seedDemo } from './db/seed';
import { sessionLifetimeMs } from './auth/sessions';
import { LoginLimiter, type LoginLimits } from './auth/login-limiter';
import { loadSourceSecret } from './auth/source-key';
import { abuseSettingsFromEnv } from './config';
import { UpdateLog } from './sync/update-log';
import { DocRegistry } from './sync/doc-registry';
import { createGateway } from './sync/gateway';
import type { SyncLimits } from './sync/limits';
import { startWalCheckpointer } from './sync/wal-checkpointer';
import * as CLOSE from '../src/lib/core/close-codes';
import { createApi } from './http/app';
import { setSecurityHeaders } from './http/security-headers';
import type { ChatLimits } from './services/chat-limits';
import type { Ctx } from './services/context';
import { expireConferenceRequests } from './services/expire-conference-requests';

export interface ServerOptions {
	port?: number;
	host?: string;
	dataDir?: string;
	databaseUrl?: string;
	origin?: string | null;
	graceMs?: number;
	silent?: boolean;
	now?: () => number;
	/** The gateway's limits (README "Limits"); tests and benchmarks set their own. */
	syncLimits?: Partial<SyncLimits>;
	/** T3 limits; each value given here wins over the environment, which wins over the default. */
	chatLimits?: Partial<ChatLimits>;
	loginLimits?: Partial<LoginLimits>;
	/** How many reverse proxies' X-Forwarded-For to trust (TRUST_PROXY); 0 = ignore the header. */
	trustProxy?: number;
}

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
	const settings = abuseSettingsFromEnv();
	const file = databaseFile({ DATABASE_URL: opts.databaseUrl, DATA_DIR: opts.dataDir });
	const store = openStore(file);
	cacheStatements(store.sqlite);
	if (isEmpty(store.db)) await seedDemo(store.db);
	// Checkpoints of the write-ahead log run on their own thread (commits never stall on them).
	const checkpointer = startWalCheckpointer(store.sqlite, file);
	const now = opts.now ?? Date.now;
	const log = new UpdateLog(store.sqlite);
	const docs = new DocRegistry(log, now, opts.graceMs ?? 5000);
	const origin = opts.origin ?? null;
	const ctx: Ctx = {
		db: store.db,
		docs,
		now,
		config: {
			sessionLifetimeMs: sessionLifetimeMs(),
			secureCookies: process.env.SECURE_COOKIES
				? process.env.SECURE_COOKIES === 'true'
				: (origin?.startsWith('https:') ?? false),
			origin,
			chatLimits: { ...settings.chatLimits, ...opts.chatLimits },
			trustProxy: opts.trustProxy ?? settings.trustProxy,
			sourceSecret: loadSourceSecret(file)
		},
		loginLimiter: new LoginLimiter({ ...settings.loginLimits, ...opts.loginLimits }),
		closeSessionSockets: (id) => gateway.closeSession(id, CLOSE.ACCESS_ENDED, 'signed out')
	};
	const gateway = createGateway(ctx, docs, opts.syncLimits);
	// C15: expiry is also checked on accept; the sweep tells requesters and clears offer cards.
	const sweep = setInterval(() => {
		try {
			expireConferenceRequests(ctx);
		} catch (err) {
			console.error('expiry sweep failed', err);
		}
	}, 500);
	sweep.unref();
	const api = getRequestListener(createApi(ctx).fetch);
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
		if (web !== undefined) return serveWeb(web, req, res);
		(webLoading ??= loadWebApp().then((h) => (web = h))).then(
			(h) => serveWeb(h, req, res),
			(err) => {
				console.error('loading the web app failed', err);
				webLoading = null;
				res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
				res.end('The web app could not be loaded.\n');
			}
		);
	});
	server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
	await new Promise<void>((ok) => server.listen(opts.port ?? 3000, opts.host ?? '0.0.0.0', ok));
	const port = (server.address() as AddressInfo).port;
	const url = `http://localhost:${port}`;
	if (!opts.silent) console.log(`Parley is listening on ${url} (database ${file})`);

	return {
		url,
		port,
		ctx,
		store,
		async close() {
			clearInterval(sweep);
			gateway.close();
			server.closeAllConnections();
			await new Promise<void>((ok) => server.close(() => ok()));
			docs.closeAll();
			await checkpointer.stop();
			store.close();
		}
	};
}
export type RunningServer = Awaited<ReturnType<typeof startServer>>;

/**
 * drizzle prepares every query it runs (better-sqlite3 compiles the SQL each time): keep the last
 * `max` compiled statements by SQL text and hand them out again. Only plain `prepare(sql)` calls
 * are cached (better-sqlite3's own internal calls pass more arguments and are left alone), and a
 * reused statement is put back in its default (object rows) mode, which drizzle switches per call.
 */
function cacheStatements(sqlite: Database.Database, max = 512) {
	const prepare = sqlite.prepare;
	const cache = new Map<string, Database.Statement>();
	sqlite.prepare = function (this: Database.Database, source: string, ...rest: unknown[]) {
		if (rest.length > 0 || typeof source !== 'string') return (prepare as (...a: unknown[]) => Database.Statement).call(this, source, ...rest);
		let statement = cache.get(source);
		if (statement) {
			cache.delete(source); // most recently used last
			cache.set(source, statement);
			if (statement.reader) statement.raw(false);
			return statement;
		}
		statement = prepare.call(this, source);
		cache.set(source, statement);
		if (cache.size > max) cache.delete(cache.keys().next().value!);
		return statement;
	} as typeof sqlite.prepare;
}

function notFound(res: ServerResponse) {
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
	res.end('Not found\n');
}
