// Auditor replay speed (A2): `npm run bench:replay [-- --updates 10000 --points 100 --seed 1]`
// (`--store postgres [--postgres URL]`: on a PostgreSQL database made for the run and dropped after).
//
// 1. A real server (port 0, fresh temp DATA_DIR or PostgreSQL database, migrated and seeded). 2. A Billing chat through
//    the API, accepted by Ada; Grace is conferenced in and leaves again every ~2,000 updates, so
//    the timeline mixes authority decisions with document changes. 3. The customer's and Ada's
//    Yjs clients append messages (and Ada whispers) until the chat's documents hold N updates;
//    each update goes through LiveDoc.applyClientUpdate — the gateway's path after the write
//    policy: appended to the log, applied, checkpointed every 500 — and every client sees every
//    broadcast, as over the socket. 4. The documents are unloaded (a last checkpoint), so replay
//    reads only the log and its checkpoints. 5. The time to rebuild the state at P random steps
//    of the timeline, cold and warm: cold = each document rebuilt through Yjs from the nearest
//    stored checkpoint plus the tail (what the export and a first look use); warm = after the
//    timeline was built once, from the in-memory replay index (what scrubbing uses). Both include
//    the decisions so far and the workspaces; plus the GET /state round trip and one document
//    alone. Printed as one JSON line and a summary; never asserted (the goal is p99 ≤ 50 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { startServer } from '../server/app-server';
import { benchDatabase, DEFAULT_POSTGRES } from './bench-db';
import { GENEROUS_CHAT_LIMITS } from '../tests/helpers/server';
import { buildTimeline } from '../server/services/audit/audit-chat-timeline';
import { chatStateAt } from '../server/services/audit/audit-chat-state';
import { loadChatSummary } from '../server/services/audit/audit-facts';
import { docJson, rebuildDoc } from '../server/services/audit/audit-replay';
import type { Peer } from '../server/sync/live-doc';
import { ApiClient } from '../tests/helpers/api';
import { seededRandom } from '../tests/helpers/seeded-random';

function parseArgs(argv: string[]) {
	const opts = { updates: 10_000, points: 100, seed: 1, keep: false, store: 'sqlite' as 'sqlite' | 'postgres', postgres: DEFAULT_POSTGRES };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
		const text = () => inline ?? argv[++i];
		const value = () => Number(text());
		if (flag === '--updates') opts.updates = value();
		else if (flag === '--points') opts.points = value();
		else if (flag === '--seed') opts.seed = value();
		else if (flag === '--keep') opts.keep = true;
		else if (flag === '--postgres') opts.postgres = text();
		else if (flag === '--store') {
			const store = text();
			if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store sqlite or postgres, not ${store}`);
			opts.store = store;
		} else throw new Error(`unknown option ${flag} (use --updates, --points, --seed, --keep, --store, --postgres)`);
	}
	if (!(opts.updates >= 10 && opts.points >= 1)) throw new Error('--updates >= 10 and --points >= 1');
	return opts;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (n: number) => Math.round(n * 100) / 100;
function stats(samples: number[]) {
	const s = [...samples].sort((a, b) => a - b);
	return { p50: ms(pct(s, 50)), p90: ms(pct(s, 90)), p99: ms(pct(s, 99)), max: ms(s[s.length - 1]), mean: ms(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function call(client: ApiClient, method: string, path: string, body?: unknown) {
	// The measured loops block the event loop for seconds; a kept-alive socket the server closed
	// meanwhile fails once with ECONNRESET, and the request is simply sent again.
	const res = await client.call(method, path, body).catch(() => client.call(method, path, body));
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.raw}`);
	return res.body;
}

async function signIn(base: string, email: string) {
	const c = new ApiClient(base);
	await call(c, 'POST', '/api/auth/login', { email, password: 'parley-demo' });
	return c;
}

const REMOTE = Symbol('remote');

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-replay-'));
	const database = opts.store === 'postgres' ? await benchDatabase(opts.postgres) : null;
	const server = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		databaseUrl: database?.url,
		silent: true,
		graceMs: 60_000,
		chatLimits: GENEROUS_CHAT_LIMITS
	});
	try {
		// The chat, through the API.
		const ada = await signIn(server.url, 'ada@parley.test');
		await call(ada, 'PUT', '/api/agents/me/presence', { status: 'available' });
		const customer = new ApiClient(server.url);
		const started = await call(customer, 'POST', '/api/chats', { name: 'Pat', email: 'bench@example.com', topic: 'Billing' });
		const chatId: string = started.chatId;
		await call(ada, 'POST', `/api/chats/${chatId}/accept`);
		const grace = await signIn(server.url, 'grace@parley.test');
		await call(grace, 'PUT', '/api/agents/me/presence', { status: 'available' });

		// The clients: each a Y.Doc that sends its own updates and receives every broadcast.
		const specs = [
			{ name: `chat/${chatId}`, root: 'messages', author: started.customer, actor: started.customer.id as string },
			{ name: `chat/${chatId}`, root: 'messages', author: { id: 'ada', role: 'agent', name: 'Ada' }, actor: 'ada' },
			{ name: `chat/${chatId}/agents`, root: 'whispers', author: { id: 'ada', role: 'agent', name: 'Ada' }, actor: 'ada' }
		];
		const lives: Awaited<ReturnType<typeof server.docs.get>>[] = [];
		for (const w of specs) lives.push(await server.docs.get(w.name));
		const writers = specs.map((w, k) => {
			const live = lives[k];
			const doc = new Y.Doc();
			const out: Uint8Array[] = [];
			doc.on('update', (u: Uint8Array, origin: unknown) => origin !== REMOTE && out.push(u));
			const peer: Peer = {
				send: (m) => {
					const d = decoding.createDecoder(m);
					if (decoding.readVarUint(d) !== 0) return;
					decoding.readVarUint(d);
					Y.applyUpdate(doc, decoding.readVarUint8Array(d), REMOTE);
				},
				close: () => undefined,
				awarenessIds: new Set(),
				mode: 'write',
				actor: w.actor
			};
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc), REMOTE);
			server.docs.attach(live, peer);
			return { ...w, doc, out, peer, live, bound: false };
		});

		const t0 = performance.now();
		const total = () => writers[0].live.seq + writers[2].live.seq;
		let i = 0;
		let requestId: string | null = null;
		while (total() < opts.updates) {
			i++;
			// Every ~2,000 updates Grace is conferenced in; ~1,000 later she leaves.
			if (i % 2000 === 1000 && !requestId) {
				requestId = (await call(ada, 'POST', `/api/chats/${chatId}/conference-requests`, { agentId: 'grace' })).requestId;
				await call(grace, 'POST', `/api/conference-requests/${requestId}/accept`);
			} else if (i % 2000 === 0 && requestId) {
				await call(grace, 'POST', `/api/chats/${chatId}/leave`);
				requestId = null;
			}
			const w = i % 10 === 0 ? writers[2] : writers[i % 2];
			const text = `message ${i}: ${'lorem ipsum dolor sit amet '.slice(0, 10 + (i % 17))}`;
			const item = w.root === 'whispers'
				? { id: `b${i}`, author: w.author, text, at: Date.now() }
				: { id: `b${i}`, kind: 'text', author: w.author, text, at: Date.now() };
			w.doc.getArray(w.root).push([item]);
			const update = w.out.shift()!;
			await w.live.applyClientUpdate(w.peer, update, w.bound ? [] : [w.doc.clientID]);
			w.bound = true;
		}
		const buildMs = performance.now() - t0;
		for (const w of writers) server.docs.detach(w.live, w.peer);
		await server.docs.closeAll(); // unload: the last checkpoint is written, nothing stays in memory

		const store = server.storage.facts;
		const src = { store, updates: server.storage.log };
		// length() of a blob / bytea is its size in bytes on both stores.
		const like = `chat/${chatId}%`;
		const logRows = await store.all<{ doc: string; updates: number; bytes: number }>(
			sql`SELECT doc, count(*) AS updates, sum(length("update")) AS bytes FROM doc_updates WHERE doc LIKE ${like} GROUP BY doc ORDER BY doc`
		);
		const checkpoints = await store.all<{ doc: string; seq: number; bytes: number }>(
			sql`SELECT doc, seq, length(state) AS bytes FROM doc_checkpoints WHERE doc LIKE ${like} ORDER BY doc, seq`
		);

		const chat = await loadChatSummary(store, chatId);
		const random = seededRandom(opts.seed); // the same random points for the same seed
		const stepsInAll = (await chatStateAt(src, chat, { kind: 'latest' }, true)).moment.of;
		const steps = Array.from({ length: opts.points }, () => 1 + Math.floor(random() * stepsInAll));
		const measure = async (exact: boolean) => {
			// Warm-up (JIT, page cache), then the measured runs.
			for (const step of steps.slice(0, 5)) await chatStateAt(src, chat, { kind: 'step', step }, exact);
			const samples: number[] = [];
			for (const step of steps) {
				const s = performance.now();
				await chatStateAt(src, chat, { kind: 'step', step }, exact);
				samples.push(performance.now() - s);
			}
			return samples;
		};
		const cold = await measure(true);

		let t = performance.now();
		const timeline = await buildTimeline(src, chat);
		const timelineFirstMs = performance.now() - t;
		t = performance.now();
		await buildTimeline(src, chat);
		const timelineCachedMs = performance.now() - t;
		const warm = await measure(false);

		const auditor = await signIn(server.url, 'audit@parley.test');
		const http: number[] = [];
		for (const step of steps) {
			const s = performance.now();
			await call(auditor, 'GET', `/api/audit/chats/${chatId}/state?at=${step}`);
			http.push(performance.now() - s);
		}

		const chatDoc = `chat/${chatId}`;
		const chatUpdates = logRows.find((r) => r.doc === chatDoc)?.updates ?? 0;
		const oneDoc: number[] = [];
		for (let k = 0; k < opts.points; k++) {
			const seq = 1 + Math.floor(random() * chatUpdates);
			const s = performance.now();
			const doc = await rebuildDoc(server.storage.log, chatDoc, seq);
			docJson(doc);
			doc.destroy();
			oneDoc.push(performance.now() - s);
		}

		t = performance.now();
		const exportRes = await auditor.call('GET', `/api/audit/chats/${chatId}/export?format=json`).catch(() => auditor.call('GET', `/api/audit/chats/${chatId}/export?format=json`));
		const exportMs = performance.now() - t;

		const result = {
			bench: 'replay',
			store: opts.store,
			updates: logRows.reduce((n, r) => n + r.updates, 0),
			log: logRows,
			checkpoints: checkpoints.length,
			largestCheckpointBytes: Math.max(0, ...checkpoints.map((c) => c.bytes)),
			timelineSteps: timeline.length,
			points: opts.points,
			seed: opts.seed,
			buildSeconds: ms(buildMs / 1000),
			stateColdMs: stats(cold),
			stateWarmMs: stats(warm),
			httpStateMs: stats(http),
			oneDocMs: stats(oneDoc),
			timelineFirstMs: ms(timelineFirstMs),
			timelineCachedMs: ms(timelineCachedMs),
			exportLatestMs: ms(exportMs),
			exportBytes: exportRes.raw.length
		};
		console.log(JSON.stringify(result));
		console.log(`
Replay (${opts.store}) of a chat with ${result.updates} updates (${result.timelineSteps} timeline steps, ${result.checkpoints} checkpoints), ${opts.points} random steps:
  state at a step, cold (stored checkpoint + tail, Yjs)   p50 ${result.stateColdMs.p50} ms   p99 ${result.stateColdMs.p99} ms   max ${result.stateColdMs.max} ms
  state at a step, warm (in-memory replay index)         p50 ${result.stateWarmMs.p50} ms   p99 ${result.stateWarmMs.p99} ms   max ${result.stateWarmMs.max} ms
  GET /state?at= over HTTP, warm                         p50 ${result.httpStateMs.p50} ms   p99 ${result.httpStateMs.p99} ms
  chat document alone, cold                              p50 ${result.oneDocMs.p50} ms   p99 ${result.oneDocMs.p99} ms
  (goal: p99 ≤ 50 ms)
  timeline: first ${result.timelineFirstMs} ms (replays the whole log once), then ${result.timelineCachedMs} ms; export of the latest moment ${result.exportLatestMs} ms`);
	} finally {
		await server.close();
		if (!opts.keep) {
			rmSync(dataDir, { recursive: true, force: true });
			await database?.drop();
		} else console.log(`data kept in ${database ? `${database.url} and ` : ''}${dataDir}`);
	}
}

await main();
