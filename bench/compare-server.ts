// One server under test for `npm run bench:compare`, as a child process (fork + IPC):
// BENCH_SERVER=parley (the real server: write policy, log, checkpoints, every limit; on the SQLite
// file in DATA_DIR, or on the PostgreSQL database BENCH_DATABASE_URL names),
// hocuspocus (@hocuspocus/server 3, in memory, no extensions) or relay (bench/compare-relay.ts).
// Only wiring and measurement: it answers the parent's requests with its own CPU, memory (after
// a full GC when asked) and event-loop figures of a window. Exits when the parent goes away.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const kind = process.env.BENCH_SERVER ?? 'parley';
const send = (msg: unknown) => {
	if (process.send && process.connected) process.send(msg);
};

let closing = false;
let closeServer: (() => Promise<void>) | null = null;
let loadedDocs: () => number = () => 0;

async function shutdown(code: number) {
	if (closing) return;
	closing = true;
	const force = setTimeout(() => process.exit(code), 3000);
	force.unref();
	try {
		await closeServer?.();
	} catch (err) {
		console.error(`[${kind}] close failed:`, err);
	}
	process.exit(code);
}

process.on('uncaughtException', (err) => {
	console.error(`[${kind}] uncaught exception:`, err);
	send({ type: 'error', message: String(err?.stack ?? err) });
});
process.on('unhandledRejection', (err) => {
	console.error(`[${kind}] unhandled rejection:`, err);
	send({ type: 'error', message: String((err as Error)?.stack ?? err) });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
process.on('disconnect', () => void shutdown(0));

// Window figures (see bench/compare-server.ts): ELU, loop delay, the longest timer starvation.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const TICK_MS = 20;
let lastTick = Date.now();
let maxTimerGapMs = 0;
setInterval(() => {
	const now = Date.now();
	maxTimerGapMs = Math.max(maxTimerGapMs, now - lastTick - TICK_MS);
	lastTick = now;
}, TICK_MS).unref();
let windowFrom = 0;
let eluMark = performance.eventLoopUtilization();
let profileFile: string | undefined;
let profiler: Session | null = null;

async function markStart(file?: string) {
	windowFrom = Date.now();
	eluMark = performance.eventLoopUtilization();
	loopDelay.reset();
	maxTimerGapMs = 0;
	lastTick = Math.max(lastTick, windowFrom);
	profileFile = file;
	if (file) {
		profiler = new Session();
		profiler.connect();
		await profiler.post('Profiler.enable');
		await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
		await profiler.post('Profiler.start');
	}
}

async function markEnd() {
	const to = Date.now();
	const elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluMark).utilization;
	const gap = Math.max(maxTimerGapMs, to - lastTick - TICK_MS);
	const loopDelayMs = {
		p50: loopDelay.percentile(50) / 1e6,
		p99: loopDelay.percentile(99) / 1e6,
		max: loopDelay.max / 1e6,
		samples: loopDelay.count
	};
	let profile: { file?: string; error?: string } | undefined;
	if (profileFile && profiler) {
		try {
			const { profile: p } = await profiler.post('Profiler.stop');
			profiler.disconnect();
			profiler = null;
			mkdirSync(dirname(profileFile), { recursive: true });
			writeFileSync(profileFile, JSON.stringify(p));
			profile = { file: profileFile };
		} catch (err) {
			profile = { error: String(err) };
		}
	}
	return { from: windowFrom, to, elu, loopDelayMs, maxTimerGapMs: Math.max(0, gap), profile };
}

/** Heap after full collections (the process runs with --expose-gc). */
function heap() {
	const gc = (globalThis as { gc?: () => void }).gc;
	for (let i = 0; i < 3; i++) gc?.();
	return { memory: process.memoryUsage(), loadedDocs: loadedDocs(), gcExposed: !!gc };
}

process.on('message', (msg: { type: string; id?: number; profileFile?: string }) => {
	if (msg?.type === 'stats') {
		send({ type: 'stats', id: msg.id, cpu: process.cpuUsage(), memory: process.memoryUsage(), loadedDocs: loadedDocs() });
	} else if (msg?.type === 'heap') {
		send({ type: 'heap', id: msg.id, ...heap() });
	} else if (msg?.type === 'mark-start') {
		markStart(msg.profileFile).then(
			() => send({ type: 'mark-start', id: msg.id }),
			(err) => send({ type: 'mark-start', id: msg.id, error: String(err) })
		);
	} else if (msg?.type === 'mark-end') {
		markEnd().then(
			(window) => send({ type: 'mark-end', id: msg.id, window }),
			(err) => send({ type: 'mark-end', id: msg.id, error: String(err) })
		);
	} else if (msg?.type === 'shutdown') {
		void shutdown(0);
	}
});

let port: number;
if (kind === 'parley') {
	const { startServer } = await import('../server/app-server');
	const { NO_MESSAGE_BUDGET } = await import('../server/sync/limits');
	const { GENEROUS_CHAT_LIMITS } = await import('../tests/helpers/server');
	const server = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir: process.env.DATA_DIR,
		databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
		// The cluster point's instances share a Redis prefix; otherwise no bus, whatever REDIS_URL says.
		redisUrl: process.env.BENCH_REDIS_URL || null,
		redisPrefix: process.env.BENCH_REDIS_PREFIX || undefined,
		silent: true,
		graceMs: process.env.DOC_GRACE_MS ? Number(process.env.DOC_GRACE_MS) : undefined,
		// One customer token and a few agent sessions speak for every client of a chat here,
		// and it starts hundreds of chats from 127.0.0.1 at once.
		syncLimits: NO_MESSAGE_BUDGET,
		chatLimits: GENEROUS_CHAT_LIMITS
	});
	port = server.port;
	closeServer = () => server.close();
	loadedDocs = () => server.docs.loadedCount();
} else if (kind === 'hocuspocus') {
	const { Server } = await import('@hocuspocus/server');
	const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
	await server.listen();
	port = server.address.port;
	closeServer = () => server.destroy();
	loadedDocs = () => server.hocuspocus.getDocumentsCount();
} else if (kind === 'relay') {
	const { startRelay } = await import('./compare-relay');
	const relay = await startRelay({ port: 0, host: '127.0.0.1' });
	port = relay.port;
	closeServer = relay.close;
	loadedDocs = () => relay.docs.size;
} else throw new Error(`BENCH_SERVER must be parley, hocuspocus or relay, not ${kind}`);
send({ type: 'ready', port, pid: process.pid });
