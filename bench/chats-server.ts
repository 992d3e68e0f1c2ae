// The real Parley server, started by bench/chats.ts as a child process (fork + IPC).
// Only wiring and measurement: it calls startServer and answers the parent's stat requests
// with its own CPU, memory and event-loop utilisation. Exits when the parent goes away.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer } from '../server/app-server';

const send = (msg: unknown) => {
	if (process.send && process.connected) process.send(msg);
};

let closing = false;
let server: Awaited<ReturnType<typeof startServer>> | null = null;

async function shutdown(code: number) {
	if (closing) return;
	closing = true;
	const force = setTimeout(() => process.exit(code), 3000);
	force.unref();
	try {
		await server?.close();
	} catch (err) {
		console.error('[bench server] close failed:', err);
	}
	process.exit(code);
}

process.on('uncaughtException', (err) => {
	console.error('[bench server] uncaught exception:', err);
	send({ type: 'error', message: String(err?.stack ?? err) });
});
process.on('unhandledRejection', (err) => {
	console.error('[bench server] unhandled rejection:', err);
	send({ type: 'error', message: String((err as Error)?.stack ?? err) });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0));
// The parent died or closed the channel: never outlive it.
process.on('disconnect', () => void shutdown(0));

// Event-loop delay: how long a ready callback (a socket frame, a timer) waited for the loop.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

// The measured window is marked by IPC messages from the bench, not by timers here: under
// overload libuv keeps polling sockets (up to 48 × 1024 events per loop iteration) and timers
// can starve for seconds, while an IPC message is read in the same poll phase as the sockets.
// A 20 ms ticker measures that starvation (the largest gap between two timer runs).
interface WindowStats {
	from: number;
	to: number;
	elu: number;
	loopDelayMs: { p50: number; p99: number; max: number; samples: number };
	maxTimerGapMs: number;
	profile?: { file?: string; error?: string };
}
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

async function markStart(file?: string) {
	windowFrom = Date.now();
	eluMark = performance.eventLoopUtilization();
	loopDelay.reset();
	maxTimerGapMs = 0;
	lastTick = Math.max(lastTick, windowFrom);
	profileFile = file;
	if (file) await profStart();
}

async function markEnd(): Promise<WindowStats> {
	const to = Date.now();
	const elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluMark).utilization;
	const gap = Math.max(maxTimerGapMs, to - lastTick - TICK_MS);
	const loopDelayMs = {
		p50: loopDelay.percentile(50) / 1e6,
		p99: loopDelay.percentile(99) / 1e6,
		max: loopDelay.max / 1e6,
		samples: loopDelay.count
	};
	let profile: WindowStats['profile'];
	if (profileFile)
		profile = await profStop(profileFile).then(
			(file) => ({ file }),
			(err) => ({ error: String(err) })
		);
	return { from: windowFrom, to, elu, loopDelayMs, maxTimerGapMs: Math.max(0, gap), profile };
}

let profiler: Session | null = null;
async function profStart() {
	profiler = new Session();
	profiler.connect();
	await profiler.post('Profiler.enable');
	await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
	await profiler.post('Profiler.start');
}
async function profStop(file: string) {
	if (!profiler) throw new Error('profiler not started');
	const { profile } = await profiler.post('Profiler.stop');
	profiler.disconnect();
	profiler = null;
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, JSON.stringify(profile));
	return file;
}

process.on('message', (msg: { type: string; id?: number; profileFile?: string }) => {
	if (msg?.type === 'stats') {
		send({
			type: 'stats',
			id: msg.id,
			cpu: process.cpuUsage(),
			resource: process.resourceUsage(),
			memory: process.memoryUsage(),
			loadedDocs: server?.ctx.docs.loadedCount() ?? 0
		});
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

server = await startServer({
	port: Number(process.env.PORT ?? 0),
	host: '127.0.0.1',
	dataDir: process.env.DATA_DIR,
	silent: true,
	graceMs: process.env.DOC_GRACE_MS ? Number(process.env.DOC_GRACE_MS) : undefined
});
send({ type: 'ready', port: server.port, pid: process.pid });
