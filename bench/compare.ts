// Parley against the unguarded Yjs servers, same load, one after another:
// `npm run bench:compare` (issue 7). Prints one JSON line per server per point, then a ratio table.
//
// Servers (each a fresh child process per point, bench/compare-server.ts):
//   parley      the real server: write policy, durable log, checkpoints, auth, limits; on a SQLite
//               file, or with --store postgres on a PostgreSQL database made for each point
//               (--postgres URL names the server; the database is dropped afterwards)
//   hocuspocus  @hocuspocus/server 3, in memory, no extensions
//   relay       bench/compare-relay.ts, y-protocols the way the stock y-websocket server works
// Points (defaults are the issue's; durations can be cut with flags, e.g. --quick):
//   chats100    100 chats × 3 clients × 1 msg/s, 20 s measured after a 5 s warm-up
//   chats1000   1,000 chats × 3 clients × 1 msg/s, likewise
//   hot50       1 chat × 50 clients × 200 msg/s (the clients take turns: 4 msg/s each), 5 s measured
//               after 2 s (the generator's 50 growing Y.Docs saturate it beyond ~2,000 messages)
//   idle1000    1,000 chats of 200 messages (2 clients each, taking turns); memory per chat (V8 heap +
//               ArrayBuffers after full GCs) just after the fill, after 40 s idle with every client
//               connected, then after all clients left and the grace period passed
//   connect1000 connect + sync of 1,000 clients (500 chats × 2)
//   cluster1000 chats1000's load, Parley alone on PostgreSQL: on 1 instance, then on 2 instances
//               sharing Redis (--redis URL), each chat's clients spread over both (customer on A,
//               agent on B, …); CPU and memory are summed over the instances (bench/compare-cluster.ts)
// Clients are real y-websocket providers in worker threads (bench/compare-worker.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { prepareDatabase, AGENT_CAPACITY, benchDatabase, DEFAULT_POSTGRES, DEFAULT_REDIS, type BenchAgent, type BenchStore } from './bench-db';
import { openPostgresStorage } from '../server/storage/postgres/storage';
import type { TestDatabase } from '../tests/helpers/postgres';
import type { ClientSpec, CloseRecord, CompareChat, CompareFromWorker, CompareResult, CompareToWorker, CompareWorkerInput, ServerKind } from './compare-protocol';
import { customerBundle } from './compare-bundle';
import { clusterTable, redisUnreachable } from './compare-cluster';
import { cpuSecondsFromStat, machineCpuSeconds, percentile, processCpuSeconds, round, statusKb } from './proc';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const ALL_SERVERS: ServerKind[] = ['parley', 'hocuspocus', 'relay'];
const ALL_POINTS = ['chats100', 'chats1000', 'hot50', 'idle1000', 'connect1000', 'cluster1000'] as const;
type PointName = (typeof ALL_POINTS)[number];
const ALL_STORES = ['sqlite', 'postgres'] as const;
/** Which store Parley runs on (the anchors keep everything in memory). */
type StoreKind = (typeof ALL_STORES)[number];

// ---------- options ----------
function parseArgs(argv: string[]) {
	const opts = {
		servers: [...ALL_SERVERS] as ServerKind[],
		points: [...ALL_POINTS] as PointName[],
		stores: ['sqlite'] as StoreKind[],
		postgres: DEFAULT_POSTGRES,
		redis: DEFAULT_REDIS,
		seconds: 20,
		warmup: 5,
		stragglers: 5,
		workers: 2,
		hotClients: 50,
		hotRate: 200,
		// The generator holds 50 full Y.Docs that grow by 200 messages a second: past ~2,000
		// messages its two threads saturate the machine, so this point measures a shorter window.
		hotSeconds: 5,
		hotWarmup: 2,
		idleChats: 1000,
		idleMessages: 200,
		idleClients: 2,
		idleWait: 40, // seconds after the fill before the idle measurement (Parley's documents sleep after 30 s)
		connectClients: 1000,
		connectConcurrency: 64, // per worker
		httpConcurrency: 16,
		settle: 3, // seconds after the grace period before measuring a left chat
		cpuProf: '',
		nodeArgs: [] as string[],
		out: ''
	};
	const num = (name: string, v: string | undefined, min: number) => {
		const n = Number(v);
		if (!Number.isFinite(n) || n < min) throw new Error(`--${name} needs a number >= ${min}, got ${v}`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--servers':
				opts.servers = value()!.split(',').map((s) => {
					if (!ALL_SERVERS.includes(s as ServerKind)) throw new Error(`unknown server ${s}`);
					return s as ServerKind;
				});
				break;
			case '--points':
				opts.points = value()!.split(',').map((s) => {
					if (!ALL_POINTS.includes(s as PointName)) throw new Error(`unknown point ${s} (${ALL_POINTS.join(', ')})`);
					return s as PointName;
				});
				break;
			case '--store':
				opts.stores = value()!.split(',').map((s) => {
					if (!ALL_STORES.includes(s as StoreKind)) throw new Error(`unknown store ${s} (${ALL_STORES.join(', ')})`);
					return s as StoreKind;
				});
				break;
			case '--postgres': opts.postgres = value()!; break;
			case '--redis': opts.redis = value()!; break;
			case '--quick':
				opts.seconds = 5;
				opts.warmup = 2;
				opts.hotSeconds = 3;
				opts.hotWarmup = 1;
				opts.stragglers = 3;
				opts.idleMessages = 50;
				break;
			case '--seconds': opts.seconds = num('seconds', value(), 1); break;
			case '--warmup': opts.warmup = num('warmup', value(), 0); break;
			case '--stragglers': opts.stragglers = num('stragglers', value(), 0); break;
			case '--workers': opts.workers = Math.floor(num('workers', value(), 1)); break;
			case '--hot-clients': opts.hotClients = Math.floor(num('hot-clients', value(), 2)); break;
			case '--hot-rate': opts.hotRate = num('hot-rate', value(), 1); break;
			case '--hot-seconds': opts.hotSeconds = num('hot-seconds', value(), 1); break;
			case '--hot-warmup': opts.hotWarmup = num('hot-warmup', value(), 0); break;
			case '--idle-chats': opts.idleChats = Math.floor(num('idle-chats', value(), 1)); break;
			case '--idle-messages': opts.idleMessages = Math.floor(num('idle-messages', value(), 1)); break;
			case '--idle-clients': opts.idleClients = Math.floor(num('idle-clients', value(), 2)); break;
			case '--idle-wait': opts.idleWait = num('idle-wait', value(), 0); break;
			case '--connect-clients': opts.connectClients = Math.floor(num('connect-clients', value(), 2)); break;
			case '--connect-concurrency': opts.connectConcurrency = Math.floor(num('connect-concurrency', value(), 1)); break;
			case '--server-cpu-prof': opts.cpuProf = resolve(value() ?? 'bench-profiles'); break;
			case '--out': opts.out = resolve(value()!); break;
			case '--server-node-args': opts.nodeArgs = value()!.split(' ').filter(Boolean); break;
			case '--help':
			case '-h':
				console.log(
					'npm run bench:compare -- [--servers parley,hocuspocus,relay] [--points chats100,chats1000,hot50,idle1000,connect1000,cluster1000]\n' +
						'   [--store sqlite|postgres|sqlite,postgres] (Parley\'s store; default sqlite)\n' +
						`   [--postgres URL] (the PostgreSQL server; a fresh database is made and dropped for each point; default ${DEFAULT_POSTGRES})\n` +
						`   [--redis URL] (cluster1000's fan-out, on channels under a prefix of the run's own; default ${DEFAULT_REDIS})\n` +
						'   [--quick] (5 s measured, 2 s warm-up, 50 messages per idle chat)  [--seconds 20] [--warmup 5] [--stragglers 5]\n' +
						'   [--workers 2] [--hot-clients 50] [--hot-rate 200] [--idle-chats 1000] [--idle-messages 200] [--idle-clients 2]\n' +
						'   [--connect-clients 1000] [--connect-concurrency 64] [--server-cpu-prof <dir>] [--server-node-args "--trace-gc"]\n' +
						'   [--out <file.jsonl>]'
				);
				process.exit(0);
			default:
				throw new Error(`unknown option ${a} (try --help)`);
		}
	}
	return opts;
}
type Opts = ReturnType<typeof parseArgs>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[compare] ${msg}\n`);
const nowMs = () => performance.timeOrigin + performance.now();

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout;
	return Promise.race([
		p.finally(() => clearTimeout(timer)),
		new Promise<T>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms);
		})
	]);
}

// ---------- the server child ----------
interface HeapReport {
	memory: NodeJS.MemoryUsage;
	loadedDocs: number;
	gcExposed: boolean;
}
interface ServerWindow {
	elu: number;
	loopDelayMs: { p50: number; p99: number; max: number; samples: number };
	maxTimerGapMs: number;
	profile?: { file?: string; error?: string };
}

/** How many lines of a server's output are shown (BENCH_SERVER_LINES, e.g. with --trace-gc). */
const SHOW_SERVER_LINES = Number(process.env.BENCH_SERVER_LINES ?? 20);

class ServerChild {
	readonly child: ChildProcess;
	readonly errors: string[] = [];
	outputLines = 0;
	private nextId = 1;
	private waiters = new Map<number, (msg: any) => void>();
	exited: Promise<number | null>;
	exitCode: number | null | undefined = undefined;

	constructor(
		readonly kind: ServerKind,
		where: BenchStore | null,
		nodeArgs: string[] = []
	) {
		// BENCH_DATABASE_URL, not DATABASE_URL: a DATABASE_URL of the shell never reaches the child.
		const store = where
			? {
					DATA_DIR: where.dataDir,
					...(where.databaseUrl ? { BENCH_DATABASE_URL: where.databaseUrl } : {}),
					...(where.redis ? { BENCH_REDIS_URL: where.redis.url, BENCH_REDIS_PREFIX: where.redis.prefix } : {})
				}
			: {};
		this.child = fork(join(HERE, 'compare-server.ts'), [], {
			cwd: ROOT,
			execArgv: ['--import', 'tsx', '--expose-gc', ...nodeArgs],
			env: { ...process.env, BENCH_SERVER: kind, ...store, NODE_ENV: 'production' },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		});
		const onOutput = (stream: string) => (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line.trim()) continue;
				this.outputLines++;
				if (this.outputLines <= SHOW_SERVER_LINES) process.stderr.write(`[${kind} ${stream}] ${line}\n`);
				else if (this.outputLines === SHOW_SERVER_LINES + 1) process.stderr.write(`[${kind}] … further server output counted, not shown\n`);
				if (stream === 'stderr' && this.errors.length < 50) this.errors.push(line);
			}
		};
		this.child.stdout!.on('data', onOutput('stdout'));
		this.child.stderr!.on('data', onOutput('stderr'));
		this.child.on('message', (msg: any) => {
			if (msg?.type === 'error' && this.errors.length < 50) this.errors.push(msg.message);
			const w = msg?.id !== undefined ? this.waiters.get(msg.id) : undefined;
			if (w) {
				this.waiters.delete(msg.id);
				w(msg);
			}
		});
		this.exited = new Promise((resolve) =>
			this.child.on('exit', (code, signal) => {
				this.exitCode = code ?? (signal ? -1 : null);
				resolve(code);
			})
		);
	}

	get pid() {
		return this.child.pid!;
	}
	get alive() {
		return this.exitCode === undefined;
	}
	cpu() {
		return processCpuSeconds(this.pid);
	}
	mainThreadCpu() {
		return cpuSecondsFromStat(`/proc/${this.pid}/task/${this.pid}/stat`);
	}

	ready(timeoutMs: number): Promise<{ port: number }> {
		return withTimeout(
			new Promise((resolve, reject) => {
				this.child.on('message', (msg: any) => msg?.type === 'ready' && resolve({ port: msg.port }));
				this.child.on('exit', (code) => reject(new Error(`${this.kind} exited (${code}) before it was ready: ${this.errors.join(' | ')}`)));
			}),
			timeoutMs,
			`${this.kind} start`
		);
	}

	request<T>(type: string, timeoutMs = 10_000, extra: Record<string, unknown> = {}): Promise<T | null> {
		if (!this.alive || !this.child.connected) return Promise.resolve(null);
		const id = this.nextId++;
		return withTimeout(
			new Promise<T>((resolve) => {
				this.waiters.set(id, resolve);
				this.child.send({ ...extra, type, id });
			}),
			timeoutMs,
			`${this.kind} ${type}`
		).catch(() => null);
	}

	async stop() {
		if (!this.alive) return;
		try {
			if (this.child.connected) this.child.send({ type: 'shutdown' });
			else this.child.kill('SIGTERM');
		} catch {
			this.child.kill('SIGTERM');
		}
		const done = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
		if (!done && this.alive) {
			this.child.kill('SIGKILL');
			await Promise.race([this.exited, sleep(2000)]);
		}
	}
}

// ---------- Parley set-up over HTTP ----------
async function api(base: string, method: string, path: string, body?: unknown, cookie?: string) {
	const res = await fetch(base + path, {
		method,
		headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const raw = await res.text();
	let json: any = null;
	try {
		json = raw ? JSON.parse(raw) : null;
	} catch {
		/* not JSON */
	}
	return { status: res.status, body: json, raw };
}

interface StartedChat {
	chatId: string;
	customer: { id: string; role: 'customer'; name: string };
	customerToken: string;
	agent: BenchAgent;
}

/**
 * Which agent a chat is offered to, read from the store beside the running server: on SQLite a
 * read-only connection to its file, on PostgreSQL a small pool of its own.
 */
async function offerReader(where: BenchStore): Promise<{ offerOf(chatId: string): Promise<string | undefined>; close(): Promise<void> }> {
	if (where.databaseUrl) {
		const pg = await openPostgresStorage(where.databaseUrl, { max: 2 });
		return {
			offerOf: async (chatId) =>
				(await pg.facts.all<{ agent_id: string }>(sql`SELECT agent_id FROM chat_offers WHERE chat_id = ${chatId} AND status = 'pending'`))[0]?.agent_id,
			close: () => pg.close()
		};
	}
	const ro = new Database(join(where.dataDir, 'parley.db'), { readonly: true, fileMustExist: true });
	ro.pragma('busy_timeout = 5000');
	const offer = ro.prepare("SELECT agent_id AS agentId FROM chat_offers WHERE chat_id = ? AND status = 'pending'");
	return {
		offerOf: async (chatId) => (offer.get(chatId) as { agentId: string } | undefined)?.agentId,
		close: async () => void ro.close()
	};
}

async function createParleyChats(base: string, where: BenchStore, agents: Map<string, BenchAgent>, n: number, concurrency: number) {
	const reader = await offerReader(where);
	const chats: StartedChat[] = new Array(n);
	let next = 0;
	try {
		const lane = async () => {
			for (;;) {
				const i = next++;
				if (i >= n) return;
				const started = await api(base, 'POST', '/api/chats', {
					name: `Customer ${i + 1}`,
					email: `customer-${i + 1}@bench.parley.test`,
					topic: 'Billing'
				});
				if (started.status !== 201) throw new Error(`POST /api/chats: ${started.status} ${started.raw}`);
				const { chatId, token, customer } = started.body;
				let agentId: string | undefined;
				for (let attempt = 0; attempt < 50 && !agentId; attempt++) {
					agentId = await reader.offerOf(chatId);
					if (!agentId) await sleep(20);
				}
				const agent = agentId ? agents.get(agentId) : undefined;
				if (!agent) throw new Error(`chat ${chatId} was not offered to a bench agent (${agentId})`);
				const accepted = await api(base, 'POST', `/api/chats/${chatId}/accept`, undefined, `parley_session=${agent.token}`);
				if (accepted.status !== 200) throw new Error(`accept ${chatId}: ${accepted.status} ${accepted.raw}`);
				chats[i] = { chatId, customer: { id: customer.id, role: 'customer', name: customer.name }, customerToken: token, agent };
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
	} finally {
		await reader.close();
	}
	return chats;
}

const CUSTOMER_SOCKETS = 8; // README Limits: open sockets per customer chat token
const SESSION_SOCKETS = 32; // open sockets per signed-in session

/** Who each of a chat's k clients is: customer, agent, customer's 2nd device, … (Parley's limits respected). */
function parleyClients(chat: StartedChat, k: number, agentTokens: string[]): ClientSpec[] {
	const out: ClientSpec[] = [];
	let customers = 0;
	let agentSockets = 0;
	for (let slot = 0; slot < k; slot++) {
		const customerTurn = slot % 2 === 0 && customers < CUSTOMER_SOCKETS;
		if (customerTurn) {
			customers++;
			out.push({ person: chat.customer, token: chat.customerToken });
		} else {
			const token = agentTokens[Math.floor(agentSockets / SESSION_SOCKETS)];
			if (!token) throw new Error('not enough agent sessions for this many clients');
			agentSockets++;
			out.push({ person: { id: chat.agent.id, role: 'agent', name: chat.agent.name }, token });
		}
	}
	return out;
}

function syntheticClients(i: number, k: number): ClientSpec[] {
	return Array.from({ length: k }, (_, slot) =>
		slot % 2 === 0
			? { person: { id: `bench-c${i + 1}`, role: 'customer' as const, name: `Customer ${i + 1}` }, token: '' }
			: { person: { id: `bench-a${Math.floor(i / AGENT_CAPACITY) + 1}`, role: 'agent' as const, name: `Bench Agent ${i + 1}` }, token: '' }
	);
}

// ---------- workers ----------
class ClientWorker {
	readonly worker: Worker;
	connected: Extract<CompareFromWorker, { type: 'connected' }> | null = null;
	filled: Extract<CompareFromWorker, { type: 'filled' }> | null = null;
	result: CompareResult | null = null;
	stopped = false;
	fatal: string | null = null;
	lastProgress = 0;
	private listeners = new Set<() => void>();

	constructor(input: CompareWorkerInput) {
		this.worker = new Worker(new URL('./compare-worker-boot.mjs', import.meta.url), { workerData: input });
		this.worker.on('message', (msg: CompareFromWorker) => {
			if (msg.type === 'progress') this.lastProgress = msg.synced;
			else if (msg.type === 'connected') this.connected = msg;
			else if (msg.type === 'filled') this.filled = msg;
			else if (msg.type === 'result') this.result = msg.result;
			else if (msg.type === 'stopped') this.stopped = true;
			else if (msg.type === 'fatal') this.fatal = msg.message;
			this.listeners.forEach((f) => f());
		});
		this.worker.on('error', (err) => {
			this.fatal = String(err?.stack ?? err);
			this.listeners.forEach((f) => f());
		});
		this.worker.on('exit', () => {
			this.fatal ??= this.stopped ? null : 'worker exited';
			this.listeners.forEach((f) => f());
		});
	}
	send(msg: CompareToWorker) {
		this.worker.postMessage(msg);
	}
	until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
		return withTimeout(
			new Promise<void>((resolve, reject) => {
				const check = () => {
					if (pred()) {
						this.listeners.delete(check);
						resolve();
					} else if (this.fatal) {
						this.listeners.delete(check);
						reject(new Error(`worker failed during ${what}: ${this.fatal}`));
					}
				};
				this.listeners.add(check);
				check();
			}),
			timeoutMs,
			what
		);
	}
	async stop() {
		if (!this.stopped && !this.fatal) {
			this.send({ type: 'stop' });
			await this.until(() => this.stopped, 15_000, 'worker stop').catch(() => {});
		}
		await this.worker.terminate().catch(() => {});
	}
}

// ---------- one server at one point ----------
interface PointSpec {
	name: PointName;
	mode: 'load' | 'idle' | 'connect';
	chats: number;
	clientsPerChat: number;
	rate: number; // messages per second per chat (load)
	seconds: number; // measured window (load)
	warmup: number;
	/** Parley instances the clients are spread over (cluster1000: 1, then 2). */
	instances: number;
}

function pointSpec(name: PointName, opts: Opts, instances = 1): PointSpec {
	return { ...basePoint(name, opts), instances };
}

function basePoint(name: PointName, opts: Opts): Omit<PointSpec, 'instances'> {
	switch (name) {
		case 'chats100': return { name, mode: 'load', chats: 100, clientsPerChat: 3, rate: 1, seconds: opts.seconds, warmup: opts.warmup };
		case 'chats1000': return { name, mode: 'load', chats: 1000, clientsPerChat: 3, rate: 1, seconds: opts.seconds, warmup: opts.warmup };
		// chats1000's load on PostgreSQL, on one instance and then on two sharing Redis (B5).
		case 'cluster1000': return { name, mode: 'load', chats: 1000, clientsPerChat: 3, rate: 1, seconds: opts.seconds, warmup: opts.warmup };
		case 'hot50': return { name, mode: 'load', chats: 1, clientsPerChat: opts.hotClients, rate: opts.hotRate, seconds: opts.hotSeconds, warmup: opts.hotWarmup };
		case 'idle1000': return { name, mode: 'idle', chats: opts.idleChats, clientsPerChat: opts.idleClients, rate: 0, seconds: 0, warmup: 0 };
		case 'connect1000': return { name, mode: 'connect', chats: Math.ceil(opts.connectClients / 2), clientsPerChat: 2, rate: 0, seconds: 0, warmup: 0 };
	}
}

const PARLEY_GRACE_MS = 5000; // the server's default DocRegistry grace period (real configuration)

type Line = Record<string, unknown> & { server: ServerKind; point: PointName; store?: StoreKind };

function mergeCloses(lists: CloseRecord[][]) {
	const m = new Map<string, CloseRecord>();
	for (const list of lists)
		for (const c of list) {
			const k = `${c.code} ${c.reason}`;
			const e = m.get(k) ?? { ...c, count: 0 };
			e.count += c.count;
			m.set(k, e);
		}
	return [...m.values()].map((c) => `${c.count}× ${c.code}${c.reason ? ` ${c.reason}` : ''}`);
}

async function runOne(kind: ServerKind, spec: PointSpec, opts: Opts, store: StoreKind = 'sqlite'): Promise<Line> {
	const dataDir = kind === 'parley' ? mkdtempSync(join(tmpdir(), 'parley-compare-')) : null;
	let database: TestDatabase | null = null;
	let server: ServerChild | null = null;
	/** The cluster point's further instances (the first is `server`). */
	let others: ServerChild[] = [];
	let workers: ClientWorker[] = [];
	const cleanup = async () => {
		await Promise.all(workers.map((w) => w.stop()));
		workers = [];
		await Promise.all([server?.stop(), ...others.map((o) => o.stop())]);
		others = [];
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
		await database?.drop().catch((err) => log(`dropping ${database?.url} failed: ${(err as Error).message}`));
		database = null;
	};
	process.on('exit', () => {
		for (const s of [server, ...others]) if (s?.alive) s.child.kill('SIGKILL');
	});
	try {
		// 1. Server and chats.
		let chats: CompareChat[];
		const specClients = spec.clientsPerChat;
		if (kind === 'parley') {
			if (store === 'postgres') database = await benchDatabase(opts.postgres);
			const redis = spec.instances > 1 ? { url: opts.redis, prefix: `parley-bench-${process.pid}-${Date.now()}:` } : undefined;
			const where: BenchStore = { dataDir: dataDir!, databaseUrl: database?.url, redis };
			const agentCount = Math.ceil(spec.chats / AGENT_CAPACITY);
			// Extra sessions when one chat has more agent sockets than one session may open.
			const agentSocketsPerChat = Math.max(0, specClients - Math.min(CUSTOMER_SOCKETS, Math.ceil(specClients / 2)));
			const sessionsPerAgent = Math.max(1, Math.ceil((agentSocketsPerChat * AGENT_CAPACITY) / SESSION_SOCKETS));
			const agentList = await prepareDatabase(where, agentCount, sessionsPerAgent);
			const tokens = new Map(agentList.map((a) => [a.id, a.tokens]));
			server = new ServerChild(kind, where, opts.nodeArgs);
			const { port } = await server.ready(120_000);
			// One after another: the first has migrated the database the others open.
			for (let i = 1; i < spec.instances; i++) {
				const other = new ServerChild(kind, where, opts.nodeArgs);
				others.push(other);
				(other as ServerChild & { port?: number }).port = (await other.ready(120_000)).port;
			}
			const base = `http://127.0.0.1:${port}`;
			log(`${kind} (${store}): starting ${spec.chats} chats over HTTP`);
			const started = await createParleyChats(base, where, new Map(agentList.map((a) => [a.id, a])), spec.chats, opts.httpConcurrency);
			// Each client of a chat signs in as its customer (chat token) or its agent (a session).
			// In a cluster a chat's clients take turns over the instances: customer on A, agent on B, …
			const spread = (list: ClientSpec[]) => list.map((c, slot) => ({ ...c, instance: slot % spec.instances }));
			chats = started.map((c, i) => ({ idx: i, room: `chat/${c.chatId}`, clients: spread(parleyClients(c, specClients, tokens.get(c.agent.id)!)), mine: [] }));
			(server as ServerChild & { port?: number }).port = port;
		} else {
			server = new ServerChild(kind, null, opts.nodeArgs);
			const { port } = await server.ready(60_000);
			(server as ServerChild & { port?: number }).port = port;
			chats = Array.from({ length: spec.chats }, (_, i) => ({
				idx: i,
				room: `chat/bench-${String(i + 1).padStart(5, '0')}`,
				clients: syntheticClients(i, specClients),
				mine: []
			}));
		}
		const port = (server as ServerChild & { port?: number }).port!;
		const wsBase = kind === 'parley' ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`;
		const wsBases = others.length ? [wsBase, ...others.map((o) => `ws://127.0.0.1:${(o as ServerChild & { port?: number }).port}/sync`)] : undefined;
		const instances = [server, ...others];

		// Memory before any client (Parley: after the set-up's documents were unloaded).
		let heapBase: HeapReport | null = null;
		if (spec.mode === 'idle') {
			const until = Date.now() + PARLEY_GRACE_MS + 10_000;
			for (;;) {
				heapBase = await server.request<HeapReport>('heap', 30_000);
				if (!heapBase || heapBase.loadedDocs === 0 || Date.now() > until) break;
				await sleep(500);
			}
		}

		// 2. Clients.
		const clientsTotal = chats.reduce((s, c) => s + c.clients.length, 0);
		// Whole chats per worker, dealt round-robin; fewer chats than workers: a chat's clients are dealt.
		const nWorkers = opts.workers;
		const splitChats = spec.chats < nWorkers;
		const share = (w: number) =>
			splitChats
				? chats.map((c) => ({ ...c, mine: c.clients.map((_, s) => s).filter((s) => s % nWorkers === w) })).filter((c) => c.mine.length > 0)
				: chats.filter((c) => c.idx % nWorkers === w).map((c) => ({ ...c, mine: c.clients.map((_, s) => s) }));
		const connectTimeoutMs = Math.max(60_000, clientsTotal * 20);
		log(`${kind} ${spec.name}: connecting ${clientsTotal} clients from ${nWorkers} worker thread(s)`);
		const connectProfile = spec.mode === 'connect' && opts.cpuProf ? join(opts.cpuProf, `${kind}-${spec.name}-${Date.now()}.cpuprofile`) : undefined;
		if (connectProfile) await server.request('mark-start', 30_000, { profileFile: connectProfile });
		const connectCpu0 = server.cpu();
		workers = Array.from(
			{ length: nWorkers },
			(_, w) =>
				new ClientWorker({
					workerId: w,
					server: kind,
					wsBase,
					wsBases,
					chats: share(w),
					totalChats: spec.chats,
					connectConcurrency: opts.connectConcurrency,
					connectTimeoutMs
				})
		);
		await Promise.all(workers.map((w) => w.until(() => w.connected !== null, connectTimeoutMs + 30_000, 'connect')));
		const connectSeconds = Math.max(...workers.map((w) => w.connected!.seconds));
		const connectCpu = (server.cpu() ?? 0) - (connectCpu0 ?? 0);
		if (connectProfile) log(`server CPU profile: ${(await server.request<{ window?: ServerWindow }>('mark-end', 60_000))?.window?.profile?.file}`);
		const clientsSynced = workers.reduce((s, w) => s + w.connected!.synced, 0);
		log(`${kind} ${spec.name}: ${clientsSynced}/${clientsTotal} synced in ${connectSeconds.toFixed(2)} s`);
		const base = {
			server: kind,
			...(kind === 'parley' ? { store } : {}),
			...(spec.name === 'cluster1000' ? { instances: spec.instances } : {}),
			point: spec.name,
			chats: spec.chats,
			clientsPerChat: spec.clientsPerChat
		};

		if (spec.mode === 'connect') {
			const line: Line = {
				...base,
				clients: clientsTotal,
				clientsSynced,
				connectSeconds: round(connectSeconds, 3),
				connectConcurrency: opts.connectConcurrency * nWorkers,
				serverCpuSeconds: round(connectCpu, 2),
				serverPeakRssMB: round((statusKb(server.pid, 'VmHWM') ?? 0) / 1024, 1)
			};
			await cleanup();
			return line;
		}

		if (spec.mode === 'idle') {
			const fillCpu0 = server.cpu();
			const fillTimeoutMs = Math.max(120_000, spec.chats * opts.idleMessages * 2);
			log(`${kind} ${spec.name}: filling ${spec.chats} chats with ${opts.idleMessages} messages each`);
			for (const w of workers) w.send({ type: 'fill', messages: opts.idleMessages, minGapMs: 25, timeoutMs: fillTimeoutMs });
			await Promise.all(workers.map((w) => w.until(() => w.filled !== null, fillTimeoutMs + 30_000, 'fill')));
			const fillSeconds = Math.max(...workers.map((w) => w.filled!.seconds));
			const filledChats = workers.reduce((s, w) => s + w.filled!.chats, 0);
			const fillCpu = (server.cpu() ?? 0) - (fillCpu0 ?? 0);
			await sleep(1000);
			const active = await server.request<HeapReport>('heap', 30_000);
			const rssActive = statusKb(server.pid, 'VmRSS');
			log(`${kind} ${spec.name}: ${filledChats} chats filled in ${fillSeconds.toFixed(1)} s; idle for ${opts.idleWait} s with every client connected`);
			await sleep(opts.idleWait * 1000);
			const loaded = await server.request<HeapReport>('heap', 30_000);
			const rssLoaded = statusKb(server.pid, 'VmRSS');
			log(`${kind} ${spec.name}: all clients leave`);
			const fillCloses = mergeCloses(workers.map((w) => w.filled!.closes));
			await Promise.all(workers.map((w) => w.stop()));
			workers = [];
			const waitMs = (kind === 'parley' ? PARLEY_GRACE_MS : 0) + opts.settle * 1000;
			await sleep(waitMs);
			const left = await server.request<HeapReport>('heap', 30_000);
			const rssLeft = statusKb(server.pid, 'VmRSS');
			const mem = (h: HeapReport | null) => (h ? h.memory.heapUsed + h.memory.arrayBuffers : null);
			const perChatKB = (a: number | null, b: number | null) => (a !== null && b !== null ? round((a - b) / 1024 / spec.chats, 2) : null);
			const line: Line = {
				...base,
				messagesPerChat: opts.idleMessages,
				chatsFilled: filledChats,
				fillSeconds: round(fillSeconds, 1),
				fillServerCpuSeconds: round(fillCpu, 2),
				heapPerActiveChatKB: perChatKB(mem(active), mem(heapBase)),
				heapPerLoadedChatKB: perChatKB(mem(loaded), mem(heapBase)),
				heapPerLeftChatKB: perChatKB(mem(left), mem(heapBase)),
				rssPerActiveChatKB: rssActive !== null && heapBase ? round((rssActive * 1024 - heapBase.memory.rss) / 1024 / spec.chats, 1) : null,
				rssPerLoadedChatKB: rssLoaded !== null && heapBase ? round((rssLoaded * 1024 - heapBase.memory.rss) / 1024 / spec.chats, 1) : null,
				rssPerLeftChatKB: rssLeft !== null && heapBase ? round((rssLeft * 1024 - heapBase.memory.rss) / 1024 / spec.chats, 1) : null,
				idleWaitSeconds: opts.idleWait,
				docsLoadedWhileIdle: loaded?.loadedDocs ?? null,
				docsLoadedAfterLeave: left?.loadedDocs ?? null,
				// Memory = V8 heap used + ArrayBuffers (Buffers, encoded updates) after full GCs.
				memoryMB: Object.fromEntries(
					(
						[
							['base', heapBase],
							['active', active],
							['loaded', loaded],
							['left', left]
						] as const
					).map(([k, h]) => [k, h ? { heap: round(h.memory.heapUsed / 2 ** 20, 2), arrayBuffers: round(h.memory.arrayBuffers / 2 ** 20, 2) } : null])
				),
				measuredAfterLeaveMs: waitMs,
				connectSeconds: round(connectSeconds, 2),
				serverPeakRssMB: round((statusKb(server.pid, 'VmHWM') ?? 0) / 1024, 1),
				closes: fillCloses,
				gcExposed: loaded?.gcExposed ?? false
			};
			await cleanup();
			return line;
		}

		// 3. Load: warm-up, then the measured window.
		const periodMs = 1000 / spec.rate;
		const t0 = Date.now() + 500;
		const measureFrom = t0 + spec.warmup * 1000;
		const measureTo = measureFrom + spec.seconds * 1000;
		const profileFile = opts.cpuProf ? join(opts.cpuProf, `${kind}-${spec.name}-${Date.now()}.cpuprofile`) : undefined;
		log(`${kind} ${spec.name}: warm-up ${spec.warmup} s, measuring ${spec.seconds} s`);
		for (const w of workers)
			w.send({ type: 'start', t0, warmupMs: spec.warmup * 1000, measureMs: spec.seconds * 1000, periodMs, stragglerMs: opts.stragglers * 1000 });
		const mark = () => ({
			serverCpus: instances.map((s) => s.cpu()),
			serverMainCpus: instances.map((s) => s.mainThreadCpu()),
			loadgen: process.cpuUsage(),
			machine: machineCpuSeconds(),
			at: nowMs()
		});
		await sleep(Math.max(0, measureFrom - Date.now()));
		const m0 = mark();
		await Promise.all(instances.map((s, i) => s.request('mark-start', 30_000, { profileFile: i === 0 ? profileFile : undefined })));
		await sleep(Math.max(0, measureTo - Date.now()));
		const m1 = mark();
		const ended = await Promise.all(instances.map((s) => s.request<{ window?: ServerWindow }>('mark-end', 60_000)));
		// The busiest instance's loop speaks for the cluster.
		const win = ended.map((e) => e?.window ?? null).reduce<ServerWindow | null>((a, b) => (b && (!a || b.elu > a.elu) ? b : a), null);
		if (win?.profile?.file) log(`server CPU profile: ${win.profile.file}`);
		await Promise.all(workers.map((w) => w.until(() => w.result !== null, (opts.stragglers + 30) * 1000, 'results')));
		const results = workers.map((w) => w.result!);
		const peakRssKbs = instances.map((s) => statusKb(s.pid, 'VmHWM'));
		const peakRssKb = peakRssKbs.some((k) => k === null) ? null : peakRssKbs.reduce<number>((a, k) => a + k!, 0);
		const serverErrors = instances.flatMap((s) => s.errors);
		await cleanup();
		server = null;

		const measureSeconds = (m1.at - m0.at) / 1000;
		// Every instance's CPU: what crossing instances costs is in the sum.
		const cpuDiffs = instances.map((_, i) => (m0.serverCpus[i] !== null && m1.serverCpus[i] !== null ? m1.serverCpus[i]! - m0.serverCpus[i]! : null));
		const serverCpuSeconds = cpuDiffs.some((d) => d === null) ? null : cpuDiffs.reduce<number>((a, d) => a + d!, 0);
		const loadgenCpuSeconds = (m1.loadgen.user + m1.loadgen.system - m0.loadgen.user - m0.loadgen.system) / 1e6;
		const messagesSent = results.reduce((s, r) => s + r.measuredSent, 0);
		const expected = results.reduce((s, r) => s + r.expected, 0);
		const delivered = results.reduce((s, r) => s + r.delivered, 0);
		const all = new Float64Array(results.reduce((s, r) => s + r.latencies.length, 0));
		let off = 0;
		for (const r of results) {
			all.set(r.latencies, off);
			off += r.latencies.length;
		}
		all.sort();
		// Which side saturated: a single-threaded loop busy ≥ 90% of the window.
		const serverMainCores = Math.max(...instances.map((_, i) => ((m1.serverMainCpus[i] ?? 0) - (m0.serverMainCpus[i] ?? 0)) / measureSeconds));
		const workerCores = results.map((r) => (r.threadCpuSeconds ?? 0) / measureSeconds);
		const workerBusy = Math.max(...workerCores, ...results.map((r) => r.elu), Math.max(...results.map((r) => r.maxSendLagMs)) > 1000 ? 1 : 0);
		const serverBusy = Math.max(serverMainCores, win?.elu ?? 0);
		const machineBusy = m0.machine && m1.machine ? m1.machine.busy - m0.machine.busy : null;
		const otherCores = machineBusy !== null ? Math.max(0, machineBusy - (serverCpuSeconds ?? 0) - loadgenCpuSeconds) / measureSeconds : null;
		const SAT = 0.9;
		const saturated = serverBusy < SAT && workerBusy < SAT ? 'neither' : serverBusy >= workerBusy ? 'server' : 'loadgen';
		return {
			...base,
			msgPerSecPerChat: spec.rate,
			seconds: round(measureSeconds, 1),
			clientsSynced,
			connectSeconds: round(connectSeconds, 2),
			messagesSent,
			deliveriesExpected: expected,
			deliveriesDelivered: delivered,
			loss: expected > 0 ? round((expected - delivered) / expected, 6) : 0,
			latencyMs: {
				p50: round(percentile(all, 50)),
				p95: round(percentile(all, 95)),
				p99: round(percentile(all, 99)),
				max: round(all.length ? all[all.length - 1] : null)
			},
			deliveriesPerSecond: round(delivered / measureSeconds, 0),
			serverCpuSeconds: round(serverCpuSeconds, 2),
			serverCpuUsPerMessage: serverCpuSeconds !== null && messagesSent > 0 ? round((serverCpuSeconds * 1e6) / messagesSent, 1) : null,
			serverPeakRssMB: peakRssKb !== null ? round(peakRssKb / 1024, 1) : null,
			...(instances.length > 1 ? { instancePeakRssMB: peakRssKbs.map((k) => (k !== null ? round(k / 1024, 1) : null)) } : {}),
			loadgenCpuSeconds: round(loadgenCpuSeconds, 2),
			serverLoop: win ? { elu: round(win.elu, 2), delayP99Ms: round(win.loopDelayMs.p99, 1), delayMaxMs: round(win.loopDelayMs.max, 1) } : null,
			saturated,
			busy: { server: round(serverBusy, 2), loadgen: round(workerBusy, 2), otherProcessesCores: round(otherCores, 2) },
			closes: mergeCloses(results.map((r) => r.closes)),
			connectionErrors: results.reduce((s, r) => s + r.connectionErrors, 0),
			serverErrors: serverErrors.slice(0, 3)
		};
	} catch (err) {
		const errors = [server, ...others].flatMap((s) => s?.errors ?? []).slice(0, 5);
		await cleanup().catch(() => {});
		throw new Error(`${kind} ${spec.name}: ${(err as Error)?.message ?? err}${errors.length ? `\nserver stderr: ${errors.join('\n')}` : ''}`);
	}
}

// ---------- the ratio table ----------
const fmt = (x: unknown, digits = 1) => (typeof x === 'number' ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits)) : 'n/a');

function ratioTable(lines: Line[], servers: ServerKind[], stores: StoreKind[]) {
	const anchors = servers.filter((s) => s !== 'parley');
	const rows: string[][] = [];
	const get = (point: string, server: string, store?: StoreKind) =>
		lines.find((l) => l.point === point && l.server === server && (server !== 'parley' || l.store === store));
	// One row per metric and store of Parley's (the anchors' figures repeated), ratios against them.
	const metric = (
		point: string,
		label: string,
		f: (l: Line) => number | null | undefined,
		lowerIsBetter = true,
		goal?: number,
		absolute?: { max: number; unit: string }
	) => {
		for (const store of servers.includes('parley') ? stores : stores.slice(0, 1)) {
			const vals = servers.map((s) => {
				const l = get(point, s, store);
				return l ? (f(l) ?? null) : null;
			});
			const p = servers.includes('parley') ? vals[servers.indexOf('parley')] : null;
			const anchorVals = anchors.map((s) => vals[servers.indexOf(s)]).filter((v): v is number => typeof v === 'number');
			const best = anchorVals.length ? (lowerIsBetter ? Math.min(...anchorVals) : Math.max(...anchorVals)) : null;
			const ratio = p !== null && best !== null && best !== 0 ? p / best : null;
			let verdict = ratio === null || goal === undefined ? '' : (lowerIsBetter ? ratio <= goal : ratio >= goal) ? 'met' : 'MISSED';
			let goalText = goal === undefined ? '' : `${lowerIsBetter ? '≤' : '≥'} ${goal}×`;
			if (absolute) {
				goalText = `parley ≤ ${absolute.max} ${absolute.unit}`;
				verdict = p === null ? '' : p <= absolute.max ? 'met' : 'MISSED';
			}
			const storeLabel = servers.includes('parley') && stores.length > 1 ? ` (parley on ${store})` : '';
			rows.push([point, label + storeLabel, ...vals.map((v) => fmt(v, 2)), ratio === null ? 'n/a' : ratio.toFixed(2), goalText, verdict]);
		}
	};
	for (const point of ALL_POINTS) {
		if (point === 'cluster1000' || !lines.some((l) => l.point === point)) continue;
		if (point === 'idle1000') {
			metric(point, 'memory per chat, just filled (KB)', (l) => l.heapPerActiveChatKB as number);
			metric(point, 'memory per loaded idle chat (KB)', (l) => l.heapPerLoadedChatKB as number, true, undefined, { max: 50, unit: 'KB' });
			metric(point, 'memory per left chat (KB)', (l) => l.heapPerLeftChatKB as number, true, undefined, { max: 3, unit: 'KB' });
			metric(point, 'RSS per loaded idle chat (KB)', (l) => l.rssPerLoadedChatKB as number);
			metric(point, 'peak RSS (MB)', (l) => l.serverPeakRssMB as number);
		} else if (point === 'connect1000') {
			metric(point, 'connect + sync (s)', (l) => l.connectSeconds as number, true, 1);
			metric(point, 'server CPU (s)', (l) => l.serverCpuSeconds as number);
		} else {
			metric(point, 'CPU per message (µs)', (l) => l.serverCpuUsPerMessage as number, true, 0.8);
			metric(point, 'latency p50 (ms)', (l) => (l.latencyMs as any)?.p50);
			metric(point, 'latency p99 (ms)', (l) => (l.latencyMs as any)?.p99, true, 1);
			metric(point, 'latency max (ms)', (l) => (l.latencyMs as any)?.max);
			metric(point, 'loss', (l) => l.loss as number);
			metric(point, 'deliveries/s', (l) => l.deliveriesPerSecond as number, false);
			metric(point, 'server CPU (s)', (l) => l.serverCpuSeconds as number);
			metric(point, 'peak RSS (MB)', (l) => l.serverPeakRssMB as number);
		}
	}
	const column = (s: ServerKind) => (s === 'parley' && stores.length === 1 ? `parley (${stores[0]})` : s);
	const header = ['point', 'metric', ...servers.map(column), 'parley / best anchor', 'goal', ''];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
	return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

// ---------- main ----------
/** The runs of one point: every server (Parley on every store); cluster1000 is Parley's alone. */
function pointRuns(point: PointName, opts: Opts): { kind: ServerKind; store?: StoreKind; instances: number }[] {
	if (point === 'cluster1000')
		return opts.servers.includes('parley') ? [1, 2].map((instances) => ({ kind: 'parley' as const, store: 'postgres' as const, instances })) : [];
	return opts.servers.flatMap((kind): { kind: ServerKind; store?: StoreKind; instances: number }[] => (kind === 'parley' ? opts.stores.map((store) => ({ kind, store, instances: 1 })) : [{ kind, instances: 1 }]));
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const parleyStores = opts.servers.includes('parley') ? `; parley on ${opts.stores.join(' and ')}` : '';
	log(`${availableParallelism()} CPU(s); servers ${opts.servers.join(', ')}${parleyStores}; points ${opts.points.join(', ')}; ${opts.seconds} s measured after ${opts.warmup} s warm-up`);
	const lines: Line[] = [];
	for (const point of opts.points) {
		for (const { kind, store, instances } of pointRuns(point, opts)) {
			let line: Line;
			const skipped = instances > 1 ? await redisUnreachable(opts.redis) : null;
			try {
				if (skipped) {
					log(`${point} on ${instances} instances skipped: ${skipped}`);
					line = { server: kind, store, instances, point, skipped };
				} else line = await runOne(kind, pointSpec(point, opts, instances), opts, store);
			} catch (err) {
				log(`FAILED ${(err as Error).message}`);
				line = { server: kind, ...(store ? { store } : {}), ...(point === 'cluster1000' ? { instances } : {}), point, error: String((err as Error).message).split('\n')[0] };
			}
			lines.push(line);
			const text = JSON.stringify(line);
			process.stdout.write(text + '\n');
			if (opts.out) appendFileSync(opts.out, text + '\n');
			await sleep(1000);
		}
	}
	// The customer page's JavaScript, from the last build (goal: ≤ 60 KB gzip'd).
	const bundle = customerBundle('/chat');
	process.stdout.write(JSON.stringify(bundle) + '\n');
	if (opts.out) appendFileSync(opts.out, JSON.stringify(bundle) + '\n');
	if (lines.some((l) => l.point !== 'cluster1000')) process.stdout.write('\n' + ratioTable(lines, opts.servers, opts.stores) + '\n');
	const cluster = clusterTable(lines);
	if (cluster) process.stdout.write('\n' + cluster + '\n');
	if ('gzipKB' in bundle)
		process.stdout.write(
			`\ncustomer page /chat: ${bundle.gzipKB} KB of JavaScript gzip'd (${bundle.files} files, goal ≤ ${bundle.goalKB} KB: ${bundle.met ? 'met' : 'MISSED'}); largest: ${bundle.largest
				.slice(0, 3)
				.map((c) => `${c.gzipKB} KB ${c.contains.join('+') || c.source}`)
				.join(', ')}\n`
		);
	else process.stdout.write(`\ncustomer page /chat: ${bundle.error}\n`);
	return lines.some((l) => 'error' in l) ? 1 : 0;
}

const code = await main().catch((err) => {
	log(`FAILED: ${(err as Error)?.stack ?? err}`);
	return 2;
});
process.exit(code);
