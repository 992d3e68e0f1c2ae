// Load test of live chats: `npm run bench -- --chats 1000 --seconds 20`.
//
// 1. Fresh temp DATA_DIR: migrate + demo seed, bench agents (billing, capacity 3, available) with
//    sessions created directly. 2. The real server as a child process (bench/chats-server.ts) on
//    a free port of 127.0.0.1. 3. N chats via POST /api/chats, each accepted by the agent it was
//    pushed to. 4. Per chat 3 real y-websocket clients (customer, agent, customer's 2nd device) in
//    worker threads. 5. Each chat sends 1 message/s, alternating customer and agent, phases spread
//    over the second; the other clients of the chat time its arrival. Warm-up, measure, wait for
//    stragglers, print one JSON line and a short summary. Timings are reported, never asserted.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { prepareDatabase, AGENT_CAPACITY, type BenchAgent } from './chats-db';
import type { BenchChat, CloseRecord, FromWorker, ToWorker, WorkerInput, WorkerResult } from './chats-protocol';
import { cpuPressureAvg10, cpuSecondsFromStat, machineCpuSeconds, percentile, processCpuSeconds, round, schedSeconds, statusKb } from './chats-proc';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

// ---------- options ----------
function parseArgs(argv: string[]) {
	const opts = {
		chats: 100,
		seconds: 20,
		clients: 3,
		rate: 1, // messages per second per chat
		warmup: 5,
		stragglers: 5,
		workers: 2,
		httpConcurrency: 16,
		connectConcurrency: 64, // per worker
		keep: false,
		cpuProf: '' // directory for a V8 CPU profile of the server's measured window
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
			case '--chats': opts.chats = Math.floor(num('chats', value(), 1)); break;
			case '--seconds': opts.seconds = num('seconds', value(), 1); break;
			case '--clients': opts.clients = Math.floor(num('clients', value(), 2)); break;
			case '--rate': opts.rate = num('rate', value(), 0.01); break;
			case '--warmup': opts.warmup = num('warmup', value(), 0); break;
			case '--stragglers': opts.stragglers = Math.min(5, num('stragglers', value(), 0)); break;
			case '--workers': opts.workers = Math.floor(num('workers', value(), 1)); break;
			case '--http-concurrency': opts.httpConcurrency = Math.floor(num('http-concurrency', value(), 1)); break;
			case '--connect-concurrency': opts.connectConcurrency = Math.floor(num('connect-concurrency', value(), 1)); break;
			case '--keep': opts.keep = true; break;
			case '--server-cpu-prof': opts.cpuProf = resolve(value() ?? 'bench-profiles'); break;
			case '--help':
			case '-h':
				console.log(
					'npm run bench -- [--chats 100] [--seconds 20] [--clients 3] [--rate 1] [--warmup 5] [--workers 2]\n' +
						'                 [--stragglers 5] [--http-concurrency 16] [--connect-concurrency 64] [--keep]\n' +
						'                 [--server-cpu-prof <dir>]   (V8 CPU profile of the server during the measured window)'
				);
				process.exit(0);
			default:
				throw new Error(`unknown option ${a} (try --help)`);
		}
	}
	opts.workers = Math.min(opts.workers, opts.chats);
	return opts;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
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
interface ServerStats {
	cpu: NodeJS.CpuUsage;
	resource: NodeJS.ResourceUsage;
	memory: NodeJS.MemoryUsage;
	loadedDocs: number;
}
interface ServerWindow {
	from: number;
	to: number;
	elu: number;
	loopDelayMs: { p50: number; p99: number; max: number; samples: number };
	maxTimerGapMs: number;
	profile?: { file?: string; error?: string };
}

class ServerChild {
	readonly child: ChildProcess;
	readonly errors: string[] = [];
	outputLines = 0;
	private nextId = 1;
	private waiters = new Map<number, (msg: any) => void>();
	exited: Promise<number | null>;
	exitCode: number | null | undefined = undefined;

	constructor(dataDir: string) {
		this.child = fork(join(HERE, 'chats-server.ts'), [], {
			cwd: ROOT,
			execArgv: ['--import', 'tsx'],
			env: { ...process.env, DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'production' },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		});
		const onOutput = (stream: string) => (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line.trim()) continue;
				this.outputLines++;
				if (this.outputLines <= 20) process.stderr.write(`[server ${stream}] ${line}\n`);
				else if (this.outputLines === 21) process.stderr.write('[server] … further server output counted, not shown\n');
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

	ready(timeoutMs: number): Promise<{ port: number }> {
		return withTimeout(
			new Promise((resolve, reject) => {
				this.child.on('message', (msg: any) => msg?.type === 'ready' && resolve({ port: msg.port }));
				this.child.on('exit', (code) => reject(new Error(`server exited (${code}) before it was ready: ${this.errors.join(' | ')}`)));
			}),
			timeoutMs,
			'server start'
		);
	}

	request<T>(type: string, timeoutMs = 5000, extra: Record<string, unknown> = {}): Promise<T | null> {
		if (!this.alive || !this.child.connected) return Promise.resolve(null);
		const id = this.nextId++;
		return withTimeout(
			new Promise<T>((resolve) => {
				this.waiters.set(id, resolve);
				this.child.send({ ...extra, type, id });
			}),
			timeoutMs,
			`server ${type}`
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

// ---------- HTTP setup ----------
async function api(base: string, method: string, path: string, body?: unknown, cookie?: string) {
	const res = await fetch(base + path, {
		method,
		headers: {
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...(cookie ? { cookie } : {})
		},
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

async function createChats(base: string, dbFile: string, agents: Map<string, BenchAgent>, n: number, concurrency: number) {
	// Read-only look at chat_offers, to learn which agent a chat was pushed to (setup only).
	const ro = new Database(dbFile, { readonly: true, fileMustExist: true });
	ro.pragma('busy_timeout = 5000');
	const offerOf = ro.prepare("SELECT agent_id AS agentId FROM chat_offers WHERE chat_id = ? AND status = 'pending'");
	const chats: BenchChat[] = new Array(n);
	let next = 0;
	let done = 0;
	const started = nowMs();
	let lastLog = started;
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
					agentId = (offerOf.get(chatId) as { agentId: string } | undefined)?.agentId;
					if (!agentId) await sleep(20);
				}
				if (!agentId) throw new Error(`chat ${chatId} was not offered to any agent (not enough capacity?)`);
				const agent = agents.get(agentId);
				if (!agent) throw new Error(`chat ${chatId} was offered to ${agentId}, not a bench agent`);
				const accepted = await api(base, 'POST', `/api/chats/${chatId}/accept`, undefined, `parley_session=${agent.token}`);
				if (accepted.status !== 200) throw new Error(`accept ${chatId} as ${agentId}: ${accepted.status} ${accepted.raw}`);
				chats[i] = {
					idx: i,
					chatId,
					customer: { id: customer.id, role: 'customer', name: customer.name },
					customerToken: token,
					agent: { id: agent.id, role: 'agent', name: agent.name },
					agentToken: agent.token
				};
				done++;
				if (nowMs() - lastLog > 5000) {
					lastLog = nowMs();
					log(`  ${done}/${n} chats started and accepted`);
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
	} finally {
		ro.close();
	}
	return { chats, seconds: (nowMs() - started) / 1000 };
}

// ---------- workers ----------
class ClientWorker {
	readonly worker: Worker;
	connected: Extract<FromWorker, { type: 'connected' }> | null = null;
	result: WorkerResult | null = null;
	stopped = false;
	fatal: string | null = null;
	lastProgress = 0;
	private listeners = new Set<() => void>();

	constructor(input: WorkerInput) {
		this.worker = new Worker(new URL('./chats-worker-boot.mjs', import.meta.url), { workerData: input });
		this.worker.on('message', (msg: FromWorker) => {
			if (msg.type === 'progress') this.lastProgress = msg.synced;
			else if (msg.type === 'connected') this.connected = msg;
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

	send(msg: ToWorker) {
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
}

// ---------- main ----------
async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const periodMs = 1000 / opts.rate;
	const cores = availableParallelism();
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
	const dbFile = join(dataDir, 'parley.db');
	let server: ServerChild | null = null;
	let workers: ClientWorker[] = [];

	let cleaning: Promise<void> | null = null;
	const cleanup = () => (cleaning ??= cleanupOnce());
	const cleanupOnce = async () => {
		await Promise.all(
			workers.map(async (w) => {
				if (!w.stopped && !w.fatal) {
					w.send({ type: 'stop' });
					await w.until(() => w.stopped, 10_000, 'worker stop').catch(() => {});
				}
				await w.worker.terminate().catch(() => {});
			})
		);
		workers = [];
		await server?.stop();
		if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
		else log(`data kept in ${dataDir}`);
	};
	// Last resort: never leave the server child behind.
	process.on('exit', () => {
		if (server?.alive) server.child.kill('SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM'] as const)
		process.on(sig, () => {
			log(`${sig}: stopping`);
			void cleanup().finally(() => process.exit(130));
		});
	// Hard bound on the whole run, whatever happens.
	const budgetMs = (240 + opts.chats * 0.2 + opts.warmup + opts.seconds + opts.stragglers) * 1000;
	const watchdog = setTimeout(() => {
		log(`watchdog: the run exceeded ${Math.round(budgetMs / 1000)} s; stopping`);
		void cleanup().finally(() => process.exit(3));
	}, budgetMs);
	watchdog.unref();

	try {
		// 1. Database, then the server on it.
		const agentCount = Math.ceil(opts.chats / AGENT_CAPACITY);
		log(`preparing ${dbFile}: demo seed + ${agentCount} bench agents with sessions`);
		const agentList = await prepareDatabase(dbFile, agentCount);
		const agents = new Map(agentList.map((a) => [a.id, a]));

		server = new ServerChild(dataDir);
		const { port } = await server.ready(60_000);
		const base = `http://127.0.0.1:${port}`;
		log(`server pid ${server.pid} on ${base}`);
		const health = await api(base, 'GET', '/api/health');
		if (health.status !== 200) throw new Error(`health: ${health.status} ${health.raw}`);

		// 2. Chats, each accepted by the agent it was pushed to.
		log(`starting ${opts.chats} chats (POST /api/chats + accept, ${opts.httpConcurrency} at a time)`);
		const setupCpu0 = processCpuSeconds(server.pid);
		const { chats, seconds: setupSeconds } = await createChats(base, dbFile, agents, opts.chats, opts.httpConcurrency);
		const setupCpu = (processCpuSeconds(server.pid) ?? 0) - (setupCpu0 ?? 0);
		log(`${chats.length} chats active in ${setupSeconds.toFixed(1)} s (server CPU ${setupCpu.toFixed(1)} s)`);

		// 3. Clients in worker threads; chats dealt round-robin so every worker spans the whole second.
		const clientsTotal = opts.chats * opts.clients;
		const connectTimeoutMs = Math.max(60_000, clientsTotal * 20);
		const wsBase = `ws://127.0.0.1:${port}/sync`;
		log(`connecting ${clientsTotal} y-websocket clients from ${opts.workers} worker threads`);
		const connectStarted = nowMs();
		const connectCpu0 = processCpuSeconds(server.pid);
		workers = Array.from({ length: opts.workers }, (_, w) => {
			const mine = chats.filter((c) => c.idx % opts.workers === w);
			return new ClientWorker({
				workerId: w,
				wsBase,
				chats: mine,
				totalChats: opts.chats,
				clientsPerChat: opts.clients,
				connectConcurrency: opts.connectConcurrency,
				connectTimeoutMs
			});
		});
		const progress = setInterval(
			() => log(`  ${workers.reduce((s, w) => s + (w.connected?.synced ?? w.lastProgress), 0)}/${clientsTotal} clients synced`),
			5000
		);
		try {
			await Promise.all(workers.map((w) => w.until(() => w.connected !== null, connectTimeoutMs + 30_000, 'connect')));
		} finally {
			clearInterval(progress);
		}
		// From the first connection attempt to the last sync, as the workers saw it (thread start-up excluded).
		const connectSeconds = Math.max(...workers.map((w) => w.connected?.seconds ?? (nowMs() - connectStarted) / 1000));
		const connectCpu = (processCpuSeconds(server.pid) ?? 0) - (connectCpu0 ?? 0);
		const clientsConnected = workers.reduce((s, w) => s + (w.connected?.synced ?? 0), 0);
		log(`${clientsConnected}/${clientsTotal} clients synced in ${connectSeconds.toFixed(1)} s (server CPU ${connectCpu.toFixed(1)} s)`);

		// 4. Send: warm-up, then the measured window.
		const t0 = Date.now() + 500;
		const measureFrom = t0 + opts.warmup * 1000;
		const measureTo = measureFrom + opts.seconds * 1000;
		log(`warm-up ${opts.warmup} s, then measuring ${opts.seconds} s at ${opts.rate} message/s per chat`);
		const profileFile = opts.cpuProf
			? join(opts.cpuProf, `server-${opts.chats}chats-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
			: undefined;
		for (const w of workers)
			w.send({ type: 'start', t0, warmupMs: opts.warmup * 1000, measureMs: opts.seconds * 1000, periodMs, stragglerMs: opts.stragglers * 1000 });

		const marks: {
			serverCpu: number | null;
			serverMainCpu: number | null;
			serverMainSched: { run: number; wait: number } | null;
			loadgen: NodeJS.CpuUsage;
			machine: { busy: number; total: number } | null;
			at: number;
		}[] = [];
		const mark = async () => {
			marks.push({
				serverCpu: processCpuSeconds(server!.pid),
				serverMainCpu: cpuSecondsFromStat(`/proc/${server!.pid}/task/${server!.pid}/stat`),
				serverMainSched: schedSeconds(`/proc/${server!.pid}/task/${server!.pid}/schedstat`),
				loadgen: process.cpuUsage(),
				machine: machineCpuSeconds(),
				at: nowMs()
			});
		};
		await sleep(Math.max(0, measureFrom - Date.now()));
		await mark();
		const started = await server.request<{ error?: string }>('mark-start', 30_000, { profileFile });
		if (started?.error) log(`server window start: ${started.error}`);
		await sleep(Math.max(0, measureTo - Date.now()));
		await mark();
		const ended = await server.request<{ window?: ServerWindow; error?: string }>('mark-end', 60_000);
		const win = ended?.window ?? null;
		if (!win) log(`server window end: ${ended?.error ?? 'no answer'}`);
		if (opts.cpuProf)
			log(win?.profile?.file ? `server CPU profile of the window: ${win.profile.file}` : `server CPU profile failed: ${win?.profile?.error ?? 'no answer'}`);
		log('measured window over; waiting for stragglers');

		await Promise.all(
			workers.map((w) => w.until(() => w.result !== null, (opts.stragglers + 30) * 1000, 'results'))
		);
		const results = workers.map((w) => w.result!);
		const statsAtEnd = await server.request<ServerStats>('stats', 10_000);

		// Server memory before shutting it down.
		const peakRssKb = statusKb(server.pid, 'VmHWM') ?? (statsAtEnd ? statsAtEnd.resource.maxRSS : null);
		const serverAlive = server.alive;
		const serverErrors = [...server.errors];
		const serverOutputLines = server.outputLines;
		await cleanup();
		server = null;

		// 5. Numbers.
		const measureSeconds = (marks[1].at - marks[0].at) / 1000;
		const serverCpuSeconds =
			marks[0].serverCpu !== null && marks[1].serverCpu !== null ? marks[1].serverCpu - marks[0].serverCpu : null;
		const loadgenCpuSeconds = (marks[1].loadgen.user + marks[1].loadgen.system - marks[0].loadgen.user - marks[0].loadgen.system) / 1e6;
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
		const closes = new Map<string, CloseRecord>();
		for (const r of results)
			for (const c of r.closes) {
				const k = `${c.code} ${c.reason}`;
				const e = closes.get(k) ?? { ...c, count: 0 };
				e.count += c.count;
				closes.set(k, e);
			}
		const connectionErrors = results.reduce((s, r) => s + r.connectionErrors, 0);
		const connectedAtEnd = results.reduce((s, r) => s + r.connectedAtEnd, 0);
		const workerElu = results.map((r) => r.elu);
		const workerCpu = results.map((r) => r.threadCpuSeconds);
		const maxSendLagMs = Math.max(...results.map((r) => r.maxSendLagMs));
		const serverCores = serverCpuSeconds !== null ? serverCpuSeconds / measureSeconds : null;
		const sElu = win?.elu ?? null;
		const loadgenCores = loadgenCpuSeconds / measureSeconds;

		// Saturated = a side's single-threaded event loop could not keep up: busy (event-loop
		// utilisation) or on a CPU (thread CPU / wall) at least 90% of the window, or, for the
		// generator, sends more than a second behind schedule; if both, the busier side. When other
		// processes took CPU during the window (a shared machine), busy time and send lag are
		// mostly waiting for that CPU, so only a side's own CPU use counts then.
		const diff = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null ? a - b : null);
		const serverMainCores = (diff(marks[1].serverMainCpu, marks[0].serverMainCpu) ?? serverCpuSeconds ?? 0) / measureSeconds;
		const serverMainWait = diff(marks[1].serverMainSched?.wait, marks[0].serverMainSched?.wait);
		const serverMainWaitShare = serverMainWait !== null ? serverMainWait / measureSeconds : null;
		const workerCores = workerCpu.map((c) => (c ?? 0) / measureSeconds);
		const maxWorkerCores = Math.max(...workerCores);
		const machineBusy = diff(marks[1].machine?.busy, marks[0].machine?.busy);
		const machineTotal = diff(marks[1].machine?.total, marks[0].machine?.total);
		const machineUse = machineBusy !== null && machineTotal ? machineBusy / machineTotal : null; // 0..1 of all CPUs
		const otherCores = machineBusy !== null ? Math.max(0, machineBusy - (serverCpuSeconds ?? 0) - loadgenCpuSeconds) / measureSeconds : null;
		const pressure = cpuPressureAvg10();
		// Our own three busy threads on few CPUs raise CPU pressure too: judge by others' CPU use.
		const contended = otherCores !== null ? otherCores >= 0.25 : (pressure ?? 0) >= 20;
		const SAT = 0.9;
		const serverBusy = contended ? serverMainCores : Math.max(serverMainCores, sElu ?? 0);
		const loadgenBusy = contended
			? maxWorkerCores
			: Math.max(maxWorkerCores, ...workerElu, maxSendLagMs > 1000 ? 1 : 0);
		const saturated: 'server' | 'loadgen' | 'neither' =
			serverBusy < SAT && loadgenBusy < SAT ? 'neither' : serverBusy >= loadgenBusy ? 'server' : 'loadgen';
		const starvedByOthers =
			contended && saturated === 'neither' && Math.max(sElu ?? 0, ...workerElu, maxSendLagMs > 1000 ? 1 : 0) >= SAT;

		const line = {
			chats: opts.chats,
			clientsPerChat: opts.clients,
			clientsConnected,
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
			serverCpuSeconds: round(serverCpuSeconds, 2),
			serverCpuUsPerMessage: serverCpuSeconds !== null && messagesSent > 0 ? round((serverCpuSeconds * 1e6) / messagesSent, 1) : null,
			serverPeakRssMB: peakRssKb !== null ? round(peakRssKb / 1024, 1) : null,
			loadgenCpuSeconds: round(loadgenCpuSeconds, 2),
			saturated
		};
		process.stdout.write(JSON.stringify(line) + '\n');

		const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
		const closeText = closes.size
			? [...closes.values()].map((c) => `${c.count}× ${c.code}${c.reason ? ` "${c.reason}"` : ''}`).join(', ')
			: 'none';
		const summary = [
			`Parley chat bench: ${opts.chats} chats × ${opts.clients} clients, ${opts.rate} msg/s per chat, ${opts.warmup} s warm-up, ${measureSeconds.toFixed(1)} s measured, ${cores} CPU(s).`,
			`Setup: ${opts.chats} chats started + accepted in ${setupSeconds.toFixed(1)} s (server CPU ${setupCpu.toFixed(1)} s); ${clientsConnected}/${clientsTotal} clients synced in ${connectSeconds.toFixed(1)} s (server CPU ${connectCpu.toFixed(1)} s); ${connectedAtEnd} still connected at the end.`,
			`Delivery: ${delivered}/${expected} (loss ${(line.loss! * 100).toFixed(3)}%) for ${messagesSent} measured messages; latency p50 ${line.latencyMs.p50} ms, p95 ${line.latencyMs.p95} ms, p99 ${line.latencyMs.p99} ms, max ${line.latencyMs.max} ms; stragglers waited ${Math.max(...results.map((r) => r.stragglerWaitMs)).toFixed(0)} ms.`,
			`Server: ${line.serverCpuSeconds} CPU s in the window (${pct(serverCores)} of one core, event loop busy ${pct(sElu)} of which main thread on CPU ${pct(serverMainCores)} and waiting for a CPU ${pct(serverMainWaitShare)}, loop delay ${win?.loopDelayMs.samples ? `p99 ${round(win.loopDelayMs.p99, 1)} ms / max ${round(win.loopDelayMs.max, 1)} ms` : 'n/a'}, timers starved up to ${win ? Math.round(win.maxTimerGapMs) : 'n/a'} ms), ${line.serverCpuUsPerMessage} µs CPU per message, peak RSS ${line.serverPeakRssMB} MB${serverAlive ? '' : ' (server had exited!)'}.`,
			`Load generator: ${line.loadgenCpuSeconds} CPU s (${pct(loadgenCores)} of one core) over ${results.length} worker(s) + main; worker event loops busy ${workerElu.map(pct).join(', ')} (loop delay p99/max ${results.map((r) => `${r.loopDelayP99Ms.toFixed(0)}/${r.loopDelayMaxMs.toFixed(0)}`).join(', ')} ms); worker thread CPU ${workerCpu.map((c) => (c === null ? 'n/a' : `${c.toFixed(1)} s`)).join(', ')} (waited for a CPU ${results.map((r) => (r.cpuWaitSeconds === null ? 'n/a' : `${r.cpuWaitSeconds.toFixed(1)} s`)).join(', ')}); max send lag ${maxSendLagMs.toFixed(0)} ms.`,
			`Saturated: ${saturated} (server event loop ${pct(sElu)} busy, main thread ${pct(serverMainCores)} of a core; busiest worker loop ${pct(Math.max(...workerElu))} busy, thread ${pct(maxWorkerCores)} of a core; machine ${pct(machineUse)} busy of ${cores} CPU(s), other processes ${otherCores === null ? 'n/a' : otherCores.toFixed(2)} cores, CPU pressure avg10 ${pressure ?? 'n/a'}%).` +
				(contended
					? ` WARNING: other processes competed for the CPUs during the window; latency tails and event-loop delays are inflated by that${starvedByOthers ? ' (an event loop fell behind for want of CPU taken by other processes: the limit was the shared machine, not the server or the generator)' : ''}; rerun on a quiet machine.`
					: ''),
			`Socket closes seen by clients: ${closeText}; connection errors: ${connectionErrors}; server output lines: ${serverOutputLines}${serverErrors.length ? ` (first: ${serverErrors[0].slice(0, 200)})` : ''}.`
		];
		process.stdout.write(summary.join('\n') + '\n');
		return 0;
	} catch (err) {
		log(`FAILED: ${(err as Error)?.stack ?? err}`);
		if (server?.errors.length) log(`server stderr:\n${server.errors.join('\n')}`);
		await cleanup().catch(() => {});
		return 1;
	} finally {
		clearTimeout(watchdog);
	}
}

const code = await main().catch((err) => {
	log(`FAILED: ${(err as Error)?.message ?? err}`);
	return 2;
});
process.exit(code);
