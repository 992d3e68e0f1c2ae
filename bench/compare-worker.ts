// A load-generator thread of `npm run bench:compare`: real y-websocket clients (the stock
// WebsocketProvider) for a share of the chats, against Parley, Hocuspocus or the reference relay.
// All clients of one chat live in the same thread, so a message's send time and its arrival are
// read from one clock. Hocuspocus speaks a variant of the protocol (every frame prefixed with the
// document name, an auth frame first, a few extra message types): a thin socket adapter
// translates, so the very same client code runs against all three servers.
import { parentPort, workerData } from 'node:worker_threads';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { newTextMessage } from '../src/lib/core/message-policy';
import type { ClientSpec, CloseRecord, CompareChat, CompareFromWorker, CompareToWorker, CompareWorkerInput } from './compare-protocol';
import { threadCpuSeconds } from './proc';

const input = workerData as CompareWorkerInput;
const port = parentPort!;
const post = (msg: CompareFromWorker, transfer: Transferable[] = []) => port.postMessage(msg, transfer as any);
process.setMaxListeners(0);

const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A WebSocket for y-websocket that speaks Hocuspocus's framing: prefixes each outgoing frame with
 * the document name, sends the auth frame (empty token: no onAuthenticate hook) on open, strips the
 * name from incoming frames, turns SyncReply (4) into Sync (0) and drops Authenticated and
 * SyncStatus, which the stock client does not know.
 */
class HocuspocusSocket {
	static readonly CONNECTING = 0;
	static readonly OPEN = 1;
	static readonly CLOSING = 2;
	static readonly CLOSED = 3;
	readonly CONNECTING = 0;
	readonly OPEN = 1;
	readonly CLOSING = 2;
	readonly CLOSED = 3;
	onopen: ((ev: unknown) => void) | null = null;
	onmessage: ((ev: { data: Uint8Array }) => void) | null = null;
	onclose: ((ev: unknown) => void) | null = null;
	onerror: ((ev: unknown) => void) | null = null;
	binaryType = 'arraybuffer';
	private readonly ws: WebSocket;
	private readonly prefix: Uint8Array;

	constructor(url: string) {
		const u = new URL(url);
		const name = decodeURIComponent(u.pathname.slice(1));
		const e = encoding.createEncoder();
		encoding.writeVarString(e, name);
		this.prefix = encoding.toUint8Array(e);
		this.ws = new WebSocket(`${u.protocol}//${u.host}/`);
		this.ws.binaryType = 'arraybuffer';
		this.ws.onopen = (ev) => {
			const auth = encoding.createEncoder();
			encoding.writeVarUint(auth, 2); // Auth
			encoding.writeVarUint(auth, 0); // Token
			encoding.writeVarString(auth, '');
			this.send(encoding.toUint8Array(auth));
			this.onopen?.(ev);
		};
		this.ws.onmessage = (ev) => {
			const data = new Uint8Array(ev.data as ArrayBuffer);
			const d = decoding.createDecoder(data);
			decoding.readVarString(d);
			const at = d.pos;
			const type = decoding.readVarUint(d);
			if (type === 0 || type === 1 || type === 3) this.onmessage?.({ data: data.subarray(at) });
			else if (type === 4) {
				const out = data.slice(at);
				out[0] = 0;
				this.onmessage?.({ data: out });
			}
		};
		this.ws.onclose = (ev) => this.onclose?.(ev);
		this.ws.onerror = (ev) => this.onerror?.(ev);
	}
	get readyState() {
		return this.ws.readyState;
	}
	send(buf: Uint8Array) {
		const out = new Uint8Array(this.prefix.length + buf.length);
		out.set(this.prefix);
		out.set(buf, this.prefix.length);
		this.ws.send(out);
	}
	close(code?: number, reason?: string) {
		this.ws.close(code, reason);
	}
}

interface Client {
	chat: CompareChat;
	spec: ClientSpec;
	doc: Y.Doc;
	provider: WebsocketProvider;
	messages: Y.Array<unknown>;
}

const closes = new Map<string, CloseRecord>();
let connectionErrors = 0;
let delivered = 0;
let latencies = new Float64Array(1 << 16);
let nLat = 0;
/** Fill mode: per chat, how many messages its clients have seen (the next send waits for it). */
const seenByChat = new Map<number, number>();
let onFillSeen: ((chatIdx: number) => void) | null = null;

function recordLatency(ms: number) {
	if (nLat === latencies.length) {
		const bigger = new Float64Array(latencies.length * 2);
		bigger.set(latencies);
		latencies = bigger;
	}
	latencies[nLat++] = ms;
}

/** Ids: `b<chatIdx>-<round>-<m|w|f>` (measured, warm-up, fill); text ends with the send time. */
function observer(chatIdx: number) {
	return (event: Y.YArrayEvent<unknown>) => {
		if (event.transaction.local) return;
		const now = nowMs();
		for (const item of event.changes.added) {
			for (const m of item.content.getContent() as { id?: unknown; kind?: unknown; text?: unknown }[]) {
				if (m?.kind !== 'text' || typeof m.id !== 'string' || m.id[0] !== 'b' || typeof m.text !== 'string') continue;
				if (m.id.endsWith('-m')) {
					delivered++;
					const sentAt = Number(m.text.slice(m.text.lastIndexOf(' ') + 1));
					if (Number.isFinite(sentAt)) recordLatency(now - sentAt);
				} else if (m.id.endsWith('-f')) {
					seenByChat.set(chatIdx, (seenByChat.get(chatIdx) ?? 0) + 1);
					onFillSeen?.(chatIdx);
				}
			}
		}
	};
}

/**
 * Parley's clients authenticate the way its web app does, with the cookie the browser holds: the
 * customer's chat cookie, the agent's session cookie (`?token=` also works, but it is for other
 * programs, and an agent's token on a chat document is first tried as a customer token).
 */
function withCookie(chat: CompareChat, spec: ClientSpec) {
	const chatId = chat.room.slice('chat/'.length);
	const cookie = spec.person.role === 'customer' ? `parley_chat_${chatId}=${spec.token}` : `parley_session=${spec.token}`;
	return class extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	};
}

function connect(chat: CompareChat, spec: ClientSpec): Client {
	const doc = new Y.Doc();
	const socket = input.server === 'hocuspocus' ? HocuspocusSocket : input.server === 'parley' ? withCookie(chat, spec) : WebSocket;
	const url = input.wsBases?.[spec.instance ?? 0] ?? input.wsBase;
	const provider = new WebsocketProvider(url, chat.room, doc, {
		WebSocketPolyfill: socket as unknown as typeof globalThis.WebSocket,
		disableBc: true
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
	messages.observe(observer(chat.idx));
	return { chat, spec, doc, provider, messages };
}

/** Per chat of this worker: its clients by slot (a slot run by another worker stays empty). */
const clientsByChat: Client[][] = [];
const present = (clients: Client[]) => clients.filter(Boolean);

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
	const pending: { chat: CompareChat; k: number; slot: number }[] = [];
	input.chats.forEach((chat, k) => {
		clientsByChat.push([]);
		for (const slot of chat.mine) pending.push({ chat, k, slot });
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
			const c = connect(chat, chat.clients[slot]);
			clientsByChat[k][slot] = c;
			const left = deadline - nowMs();
			if (left > 0 && (await waitSynced(c, left))) synced++;
		}
	};
	await Promise.all(Array.from({ length: Math.min(input.connectConcurrency, total) }, lane));
	const seconds = (nowMs() - started) / 1000;
	clearInterval(progress);
	const syncedNow = clientsByChat.flat().filter((c) => c.provider.synced).length;
	post({ type: 'connected', workerId: input.workerId, synced: syncedNow, total, seconds });
}

const message = (c: Client, id: string, text: string) => newTextMessage(c.spec.person, text, Date.now(), id);

// Fill messages look like chat: random ids (as the browser's) and sentences of ordinary words,
// so that any compression a server applies sees realistic text, not one repeated line.
const WORDS = (
	'hi hello thanks thank you please could would can I we my our your the a an order invoice refund ' +
	'payment card account password email address delivery package shipping tracking number late ' +
	'yesterday today tomorrow week month charged twice wrong item size colour return label printer ' +
	'error message screen app update login reset link expired works now still not sure let me check ' +
	'one moment sorry for the wait I see it here done anything else great have a nice day bye'
).split(' ');
let seed = (input.workerId + 1) * 2654435761;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x6d2b79f5) >>> 0) / 4294967296);
const sentence = () => Array.from({ length: 6 + Math.floor(rand() * 12) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
const randomId = () => Array.from({ length: 16 }, () => Math.floor(rand() * 36).toString(36)).join('');

/** Fill: each chat gets `messages` messages, the chat's clients taking turns; a chat sends its
 *  next one once its other clients saw the previous (closed loop), at most one per minGapMs. */
async function fill(msg: Extract<CompareToWorker, { type: 'fill' }>) {
	const started = nowMs();
	const sentByChat = new Map<number, number>();
	const lastSendAt = new Map<number, number>();
	let total = 0;
	let chatsDone = 0;
	const byIdx = new Map(clientsByChat.map((clients) => [present(clients)[0].chat.idx, present(clients)]));
	let finish!: () => void;
	const finished = new Promise<void>((r) => (finish = r));
	const sendNext = (idx: number) => {
		const clients = byIdx.get(idx)!;
		const n = sentByChat.get(idx) ?? 0;
		if (n >= msg.messages) return;
		const wait = (lastSendAt.get(idx) ?? 0) + msg.minGapMs - nowMs();
		if (wait > 0) return void setTimeout(() => sendNext(idx), wait);
		const sender = clients[n % clients.length];
		lastSendAt.set(idx, nowMs());
		sentByChat.set(idx, n + 1);
		total++;
		sender.messages.push([message(sender, `b${randomId()}-f`, sentence())]);
	};
	// With k clients a message is seen k-1 times; the next goes once all saw it.
	onFillSeen = (idx) => {
		const clients = byIdx.get(idx)!;
		const seen = seenByChat.get(idx) ?? 0;
		const sent = sentByChat.get(idx) ?? 0;
		if (seen >= sent * (clients.length - 1)) {
			if (sent >= msg.messages) {
				if (++chatsDone === byIdx.size) finish();
			} else sendNext(idx);
		}
	};
	if (byIdx.size === 0) finish();
	let k = 0;
	for (const idx of byIdx.keys()) {
		// Spread the first sends over 200 ms.
		setTimeout(() => sendNext(idx), (k++ * 200) / byIdx.size);
	}
	const complete = await Promise.race([finished.then(() => true), sleep(msg.timeoutMs).then(() => false)]);
	onFillSeen = null;
	post({
		type: 'filled',
		workerId: input.workerId,
		chats: chatsDone,
		messages: total,
		seconds: (nowMs() - started) / 1000,
		complete,
		closes: [...closes.values()]
	});
}

async function run(start: Extract<CompareToWorker, { type: 'start' }>) {
	const { t0, warmupMs, measureMs, periodMs, stragglerMs } = start;
	const measureFrom = t0 + warmupMs;
	const endAt = measureFrom + measureMs;
	const order = clientsByChat
		.map((clients) => ({ clients, phase: (present(clients)[0].chat.idx / input.totalChats) * periodMs }))
		.sort((a, b) => a.phase - b.phase);

	let sentTotal = 0;
	let measuredSent = 0;
	let expected = 0;
	let maxSendLagMs = 0;
	let cpuAtStart: number | null = null;
	let cpuAtEnd: number | null = null;
	let eluStart = performance.eventLoopUtilization();
	let elu = 0;
	const loopDelay = monitorEventLoopDelay({ resolution: 10 });
	let loopDelayMaxMs = 0;
	let loopDelayP99Ms = 0;

	setTimeout(() => {
		cpuAtStart = threadCpuSeconds();
		eluStart = performance.eventLoopUtilization();
		loopDelay.enable();
	}, Math.max(0, measureFrom - nowMs()));
	const endMark = new Promise<void>((resolve) =>
		setTimeout(() => {
			cpuAtEnd = threadCpuSeconds();
			elu = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluStart).utilization;
			loopDelay.disable();
			loopDelayMaxMs = loopDelay.max / 1e6;
			loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
			resolve();
		}, Math.max(0, endAt - nowMs()))
	);

	// The chat's clients take turns (so at 50 clients × 200 msg/s each sends 4 a second); a turn
	// of a client run by another worker is that worker's.
	const send = (entry: (typeof order)[number], round: number, measured: boolean) => {
		const clients = entry.clients;
		const k = present(clients)[0].chat.clients.length;
		const sender = clients[round % k];
		if (!sender) return;
		const sentAt = nowMs();
		const chat = sender.chat;
		const id = `b${chat.idx}-${round}-${measured ? 'm' : 'w'}`;
		sender.messages.push([message(sender, id, `bench chat ${chat.idx} message ${round} sent ${sentAt.toFixed(3)}`)]);
		sentTotal++;
		if (measured) {
			measuredSent++;
			expected += k - 1;
		}
	};

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
				latencies: lat,
				maxSendLagMs,
				stragglerWaitMs,
				threadCpuSeconds: cpuAtStart !== null && cpuAtEnd !== null ? cpuAtEnd - cpuAtStart : null,
				elu,
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

let stopped = false;
function stop() {
	if (!stopped) {
		stopped = true;
			for (const c of clientsByChat.flat()) {
			if (!c) continue;
			try {
				c.provider.destroy();
				c.doc.destroy();
			} catch {
				/* best effort */
			}
		}
	}
	post({ type: 'stopped', workerId: input.workerId });
}

port.on('message', (msg: CompareToWorker) => {
	const fatal = (err: any) => post({ type: 'fatal', workerId: input.workerId, message: String(err?.stack ?? err) });
	if (msg.type === 'start') run(msg).catch(fatal);
	else if (msg.type === 'fill') fill(msg).catch(fatal);
	else if (msg.type === 'stop') stop();
});

connectAll().catch((err) => post({ type: 'fatal', workerId: input.workerId, message: String(err?.stack ?? err) }));
