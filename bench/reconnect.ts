// A thundering herd: `npm run bench:reconnect -- [--clients 1000] [--per-chat 2]`.
// The real server as a child process (tests/security/chaos-server.ts) on a fresh database;
// N y-websocket clients (customers, --per-chat devices on each chat) connect and sync. Then twice:
//   1. all clients drop their connection, each types one message offline, and all reconnect at
//      the same moment;
//   2. the server is killed with SIGKILL, each client types one message while it is down, and
//      the server is restarted on the same port and database (the clients' own backoff decides
//      when they come back; y-websocket's maxBackoffTime is set to 1 s).
// Each round ends when every client has synced and holds the offline messages of every device
// of its chat (which only the server can have relayed). Prints how long that took; no assertion.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { newTextMessage } from '../src/lib/core/message-policy';
import type { Author } from '../src/lib/core/types';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = resolve(ROOT, 'tests/security/chaos-server.ts');

function parseArgs(argv: string[]) {
	const opts = { clients: 1000, perChat: 2, backoffMs: 1000 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
		const value = () => Number(inline ?? argv[++i]);
		if (flag === '--clients') opts.clients = value();
		else if (flag === '--per-chat') opts.perChat = value();
		else if (flag === '--backoff-ms') opts.backoffMs = value();
		else if (flag === '--help' || flag === '-h') {
			console.log('npm run bench:reconnect -- [--clients 1000] [--per-chat 2] [--backoff-ms 1000]');
			process.exit(0);
		} else throw new Error(`unknown option ${argv[i]} (try --help)`);
	}
	for (const [k, v] of Object.entries(opts)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} needs a positive integer`);
	if (opts.perChat > 8) throw new Error('--per-chat above 8 exceeds the per-customer connection limit');
	return opts;
}

interface Client {
	index: number;
	chat: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	author: Author;
	syncedAt: number;
}

const opts = parseArgs(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`[reconnect] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dataDir = mkdtempSync(join(tmpdir(), 'parley-reconnect-'));
let child: ChildProcess | null = null;

function startServer(port: number): Promise<number> {
	return new Promise((ok, fail) => {
		const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
		child = proc;
		let out = '';
		proc.stdout!.on('data', (d) => {
			out += d;
			const m = /PORT (\d+)/.exec(out);
			if (m) ok(Number(m[1]));
		});
		proc.on('exit', (code) => !/PORT/.test(out) && fail(new Error(`server exited ${code} before listening`)));
	});
}

async function killServer() {
	const proc = child;
	if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
	const gone = new Promise((ok) => proc.once('exit', ok));
	proc.kill('SIGKILL');
	await gone;
}

async function until(what: string, done: () => boolean, timeoutMs = 300_000) {
	const start = performance.now();
	let last = 0;
	while (!done()) {
		if (performance.now() - start > timeoutMs) throw new Error(`timed out: ${what}`);
		if (performance.now() - last > 5000) {
			last = performance.now();
			log(`waiting: ${what}`);
		}
		await sleep(10);
	}
}

const round = (x: number | null, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
const ids = (c: Client) => new Set(c.doc.getArray<{ id: string }>('messages').toArray().map((m) => m.id));

try {
	let port = await startServer(0);
	const base = `http://127.0.0.1:${port}`;
	const chats = Math.ceil(opts.clients / opts.perChat);
	log(`server on ${base}; starting ${chats} chats`);
	const clients: Client[] = [];
	for (let i = 0; i < chats; i++) {
		const res = await fetch(`${base}/api/chats`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: `Herd ${i}`, email: `herd${i}@example.com`, topic: 'Billing' })
		});
		const body = (await res.json()) as { chatId: string; token: string; customer: Author };
		if (res.status !== 201) throw new Error(`start chat: ${res.status} ${JSON.stringify(body)}`);
		for (let d = 0; d < opts.perChat && clients.length < opts.clients; d++) {
			const doc = new Y.Doc();
			doc.getArray('messages');
			const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, `chat/${body.chatId}`, doc, {
				WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
				disableBc: true,
				params: { token: body.token },
				maxBackoffTime: opts.backoffMs
			});
			const client: Client = { index: clients.length, chat: body.chatId, doc, provider, author: body.customer, syncedAt: 0 };
			provider.on('sync', (synced: boolean) => {
				if (synced) client.syncedAt = performance.now();
			});
			clients.push(client);
		}
	}
	const t0 = performance.now();
	await until('first sync', () => clients.every((c) => c.provider.synced));
	log(`${clients.length} clients synced in ${round((performance.now() - t0) / 1000)} s`);
	// Some history in every chat, so that a resync carries data.
	clients.forEach((c, i) => c.doc.getArray('messages').push([newTextMessage(c.author, `hello ${i}`, Date.now(), `h${i}`)]));
	const byChat = new Map<string, Client[]>();
	for (const c of clients) byChat.set(c.chat, [...(byChat.get(c.chat) ?? []), c]);
	await until('history', () => clients.every((c) => byChat.get(c.chat)!.every((o) => ids(c).has(`h${o.index}`))));

	const results: { round: string; seconds: number; p50: number | null; p95: number | null; clients: number }[] = [];
	const measure = async (name: string, tag: string, startAt: () => number) => {
		const wanted = (c: Client) => byChat.get(c.chat)!.map((o) => `${tag}${o.index}`);
		await until(`${name}: everyone resynced with every offline message of its chat`, () =>
			clients.every((c) => c.provider.synced && wanted(c).every((id) => ids(c).has(id)))
		);
		const end = performance.now();
		const start = startAt();
		const per = clients.map((c) => c.syncedAt - start).sort((a, b) => a - b);
		results.push({ round: name, seconds: round((end - start) / 1000, 3)!, p50: round(percentile(per, 50)! / 1000, 3), p95: round(percentile(per, 95)! / 1000, 3), clients: clients.length });
		log(`${name}: ${clients.length} clients resynced in ${round((end - start) / 1000, 3)} s`);
	};

	// Round 1: everyone drops, types offline, and reconnects at the same moment.
	for (const c of clients) c.provider.disconnect();
	clients.forEach((c, i) => c.doc.getArray('messages').push([newTextMessage(c.author, `offline ${i}`, Date.now(), `o${i}`)]));
	const r1 = performance.now();
	for (const c of clients) c.provider.connect();
	await measure('all reconnect at once', 'o', () => r1);

	// Round 2: the server dies; everyone types while it is down; it comes back on the same port.
	await killServer();
	clients.forEach((c, i) => c.doc.getArray('messages').push([newTextMessage(c.author, `while down ${i}`, Date.now(), `d${i}`)]));
	await sleep(500);
	port = await startServer(port);
	const r2 = performance.now();
	await measure('server killed and restarted', 'd', () => r2);

	console.log(`Reconnect: ${clients.length} y-websocket clients on ${chats} chats (${opts.perChat} devices each)

${results.map((r) => `${r.round.padEnd(30)} all ${r.clients} resynced in ${r.seconds} s (per client: p50 ${r.p50} s, p95 ${r.p95} s)`).join('\n')}
(round 2 counts from the restarted server's first listen; the clients' reconnect backoff is capped at ${opts.backoffMs} ms)`);
	console.log(JSON.stringify({ clients: clients.length, chats, perChat: opts.perChat, results }));
	for (const c of clients) c.provider.destroy();
} finally {
	await killServer();
	rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
