// A load-generator thread: real y-websocket clients for a share of the chats. All clients of one
// chat live in the same thread, so a message's send time and its arrival are read from one clock.
import { parentPort, workerData } from 'node:worker_threads';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { newTextMessage } from '../src/lib/core/message-policy';
import type { BenchChat, CloseRecord, FromWorker, Person, ToWorker, WorkerInput } from './chats-protocol';
import { schedSeconds, threadCpuSeconds } from './chats-proc';

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (msg: FromWorker, transfer: Transferable[] = []) => port.postMessage(msg, transfer as any);

// Every provider adds a process 'exit' listener; hundreds per thread are expected here.
process.setMaxListeners(0);

/** Wall-clock milliseconds with sub-millisecond resolution. */
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Client {
	chat: BenchChat;
	person: Person;
	doc: Y.Doc;
	provider: WebsocketProvider;
	messages: Y.Array<unknown>;
}

const closes = new Map<string, CloseRecord>();
let connectionErrors = 0;
let delivered = 0;
let warmupDelivered = 0;
let latencies = new Float64Array(1 << 16);
let nLat = 0;

function recordLatency(ms: number) {
	if (nLat === latencies.length) {
		const bigger = new Float64Array(latencies.length * 2);
		bigger.set(latencies);
		latencies = bigger;
	}
	latencies[nLat++] = ms;
}

/** Message ids: `b<chatIdx>-<round>-<m|w>` (m: measured, w: warm-up); text ends with the send time. */
function onMessages(event: Y.YArrayEvent<unknown>) {
	if (event.transaction.local) return; // our own send
	const now = nowMs();
	for (const item of event.changes.added) {
		for (const m of item.content.getContent() as { id?: unknown; kind?: unknown; text?: unknown }[]) {
			if (m?.kind !== 'text' || typeof m.id !== 'string' || m.id[0] !== 'b' || typeof m.text !== 'string') continue;
			if (m.id.endsWith('-m')) {
				delivered++;
				const sentAt = Number(m.text.slice(m.text.lastIndexOf(' ') + 1));
				if (Number.isFinite(sentAt)) recordLatency(now - sentAt);
			} else warmupDelivered++;
		}
	}
}

function connect(chat: BenchChat, person: Person, token: string): Client {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(input.wsBase, `chat/${chat.chatId}`, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: { token }
	});
	provider.on('connection-close', (event: CloseEvent | null) => {
		const code = event?.code ?? -1;
		const reason = event ? String(event.reason ?? '') : 'closed locally (no message for 30 s, or destroy)';
		const key = `${code} ${reason}`;
		const rec = closes.get(key) ?? { code, reason, count: 0 };
		rec.count++;
		closes.set(key, rec);
	});
	provider.on('connection-error', () => void connectionErrors++);
	const messages = doc.getArray('messages');
	messages.observe(onMessages);
	return { chat, person, doc, provider, messages };
}

/** Per chat: [customer, agent, customer device 2, ...further customer devices]. */
const clientsByChat: Client[][] = [];

function waitSynced(c: Client, timeoutMs: number): Promise<boolean> {
	if (c.provider.synced) return Promise.resolve(true);
	return new Promise((resolve) => {
		const done = (ok: boolean) => {
			clearTimeout(timer);
			c.provider.off('sync', onSync);
			resolve(ok);
		};
		const onSync = (s: boolean) => s && done(true);
		const timer = setTimeout(() => done(false), timeoutMs);
		c.provider.on('sync', onSync);
	});
}

async function connectAll() {
	const started = nowMs();
	const pending: { chat: BenchChat; k: number; slot: number }[] = [];
	input.chats.forEach((chat, k) => {
		clientsByChat.push([]);
		for (let slot = 0; slot < input.clientsPerChat; slot++) pending.push({ chat, k, slot });
	});
	const total = pending.length;
	let next = 0;
	let synced = 0;
	const deadline = started + input.connectTimeoutMs;
	const progress = setInterval(() => post({ type: 'progress', workerId: input.workerId, synced, total }), 2000);
	const lane = async () => {
		for (;;) {
			const i = next++;
			if (i >= total) return;
			const { chat, k, slot } = pending[i];
			const c =
				slot === 1
					? connect(chat, chat.agent, chat.agentToken)
					: connect(chat, chat.customer, chat.customerToken);
			clientsByChat[k][slot] = c;
			const left = deadline - nowMs();
			if (left > 0 && (await waitSynced(c, left))) synced++;
		}
	};
	const lanes = [];
	for (let l = 0; l < Math.min(input.connectConcurrency, total); l++) lanes.push(lane());
	await Promise.all(lanes);
	clearInterval(progress);
	// Clients that missed the deadline keep retrying in the background (y-websocket reconnects).
	const syncedNow = clientsByChat.flat().filter((c) => c.provider.synced).length;
	post({ type: 'connected', workerId: input.workerId, synced: syncedNow, total, seconds: (nowMs() - started) / 1000 });
}

async function run(start: Extract<ToWorker, { type: 'start' }>) {
	const { t0, warmupMs, measureMs, periodMs, stragglerMs } = start;
	const measureFrom = t0 + warmupMs;
	const endAt = measureFrom + measureMs;
	// Chats in phase order: chat idx sends at t0 + idx/N of a period, then every period.
	const order = clientsByChat
		.map((clients) => ({ clients, phase: (clients[0].chat.idx / input.totalChats) * periodMs }))
		.sort((a, b) => a.phase - b.phase);
	const customerDevices = (clients: Client[]) => clients.filter((c) => c.person.role === 'customer');

	let sentTotal = 0;
	let measuredSent = 0;
	let maxSendLagMs = 0;
	let cpuAtStart: number | null = null;
	let cpuAtEnd: number | null = null;
	let schedAtStart: { run: number; wait: number } | null = null;
	let schedAtEnd: { run: number; wait: number } | null = null;
	let eluStart = performance.eventLoopUtilization();
	let elu = 0;
	const loopDelay = monitorEventLoopDelay({ resolution: 10 });
	let loopDelayMaxMs = 0;
	let loopDelayP99Ms = 0;

	setTimeout(() => {
		cpuAtStart = threadCpuSeconds();
		schedAtStart = schedSeconds('/proc/thread-self/schedstat');
		eluStart = performance.eventLoopUtilization();
		loopDelay.enable();
	}, Math.max(0, measureFrom - nowMs()));
	const endMark = new Promise<void>((resolve) =>
		setTimeout(() => {
			cpuAtEnd = threadCpuSeconds();
			schedAtEnd = schedSeconds('/proc/thread-self/schedstat');
			elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluStart).utilization;
			loopDelay.disable();
			loopDelayMaxMs = loopDelay.max / 1e6;
			loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
			resolve();
		}, Math.max(0, endAt - nowMs()))
	);

	const send = (entry: (typeof order)[number], round: number, measured: boolean) => {
		const clients = entry.clients;
		const chat = clients[0].chat;
		let sender: Client;
		if (round % 2 === 1) sender = clients[1]; // the agent
		else {
			const devices = customerDevices(clients);
			sender = devices[(round / 2) % devices.length];
		}
		const sentAt = nowMs();
		const id = `b${chat.idx}-${round}-${measured ? 'm' : 'w'}`;
		const text = `bench chat ${chat.idx} message ${round} sent ${sentAt.toFixed(3)}`;
		sender.messages.push([newTextMessage(sender.person, text, Date.now(), id)]);
		sentTotal++;
		if (measured) measuredSent++;
	};

	// One timer walks the schedule; every due message is sent in order (bounded: each step advances).
	await new Promise<void>((resolve) => {
		let j = 0;
		let round = 0;
		const n = order.length;
		if (n === 0) return resolve();
		const tick = () => {
			const now = nowMs();
			for (;;) {
				const due = t0 + round * periodMs + order[j].phase;
				if (due >= endAt) return resolve();
				if (due > now) return void setTimeout(tick, Math.min(5, Math.max(1, due - now)));
				maxSendLagMs = Math.max(maxSendLagMs, now - due);
				send(order[j], round, due >= measureFrom);
				if (++j === n) {
					j = 0;
					round++;
				}
			}
		};
		setTimeout(tick, Math.max(0, t0 - nowMs()));
	});
	await endMark;

	const expected = measuredSent * (input.clientsPerChat - 1);
	const waitFrom = nowMs();
	while (delivered < expected && nowMs() - waitFrom < stragglerMs) await sleep(20);
	const stragglerWaitMs = nowMs() - waitFrom;

	const lat = latencies.slice(0, nLat);
	post(
		{
			type: 'result',
			result: {
				workerId: input.workerId,
				sentTotal,
				measuredSent,
				expected,
				delivered,
				warmupDelivered,
				latencies: lat,
				maxSendLagMs,
				stragglerWaitMs,
				threadCpuSeconds: cpuAtStart !== null && cpuAtEnd !== null ? cpuAtEnd - cpuAtStart : null,
				elu,
				cpuWaitSeconds: waitDelta(schedAtStart, schedAtEnd),
				loopDelayMaxMs,
				loopDelayP99Ms,
				closes: [...closes.values()],
				connectionErrors,
				connectedAtEnd: clientsByChat.flat().filter((c) => c.provider.wsconnected && c.provider.synced).length
			}
		},
		[lat.buffer]
	);
}

function waitDelta(a: { wait: number } | null, b: { wait: number } | null): number | null {
	return a && b ? b.wait - a.wait : null;
}

let stopped = false;
function stop() {
	if (stopped) return post({ type: 'stopped', workerId: input.workerId });
	stopped = true;
	for (const c of clientsByChat.flat()) {
		if (!c) continue;
		try {
			c.messages.unobserve(onMessages);
			c.provider.destroy();
			c.doc.destroy();
		} catch {
			/* best effort */
		}
	}
	post({ type: 'stopped', workerId: input.workerId });
}

port.on('message', (msg: ToWorker) => {
	if (msg.type === 'start')
		run(msg).catch((err) => post({ type: 'fatal', workerId: input.workerId, message: String(err?.stack ?? err) }));
	else if (msg.type === 'stop') stop();
});

connectAll().catch((err) => post({ type: 'fatal', workerId: input.workerId, message: String(err?.stack ?? err) }));
