import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { isEmpty, seedDemo } from '../../server/db/seed';
import { createSession, sessionLifetimeMs } from '../../server/auth/sessions';
import { openStorage } from '../../server/storage/open';
import { newTextMessage } from '../../src/lib/core/message-policy';
import type { Author } from '../../src/lib/core/types';
import { ApiClient } from '../helpers/api';
import { eventually } from '../helpers/server';

// Durability under crashes (SPEC "Always": no accepted message is ever lost, also across a
// server crash). Real y-websocket clients type into live chats while the server, a child
// process, is killed with SIGKILL at random moments and restarted on the same database; they
// keep typing while it is down. In the end every message any client typed or saw must be in the
// restarted server (live, and in its log after one more kill), and every client must have
// converged on the server's document.

const ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), 'chaos-server.ts');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChaosOptions {
	seed: number;
	kills: number;
	chats: number;
	/** Clients per chat: the agent, the customer, and further customer devices. */
	clientsPerChat: number;
	/** A message is typed somewhere every this many ms. */
	typeEveryMs: number;
	/** Up time before a kill and down time before the restart, ms (each uniformly random in the range). */
	upMs: [number, number];
	downMs: [number, number];
	log?: (line: string) => void;
}

export interface ChaosReport {
	seed: number;
	kills: number;
	restarts: number;
	sent: number;
	sentWhileDown: number;
	/** Ids any client had in its document at some kill: all must survive. */
	seenAtKills: number;
	lost: number;
	duplicates: number;
	converged: boolean;
	/** Permanent (44xx) closes of honest clients: each would be a refused honest update. */
	refusedClients: number;
	seconds: number;
	failures: string[];
}

interface Client {
	chat: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	author: Author;
	closes: number[];
	/** Permanent closes (44xx) with their reasons. */
	refusals: string[];
}

/** A small seeded PRNG (mulberry32): the same seed kills at the same moments, give or take the clock. */
function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (doc: Y.Doc) => doc.getArray<{ id: string }>('messages').toArray().map((m) => m.id);

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
	const started = performance.now();
	const log = opts.log ?? (() => {});
	const rnd = random(opts.seed);
	const between = ([lo, hi]: [number, number]) => lo + rnd() * (hi - lo);
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-chaos-'));
	const report: ChaosReport = {
		seed: opts.seed,
		kills: 0,
		restarts: 0,
		sent: 0,
		sentWhileDown: 0,
		seenAtKills: 0,
		lost: 0,
		duplicates: 0,
		converged: false,
		refusedClients: 0,
		seconds: 0,
		failures: []
	};

	// 1. The database: demo seed, one agent per chat with a session (written before the server runs).
	// The store the child opens on DATA_DIR (a SQLite file: the crash is a SIGKILL of its process).
	const setup = await openStorage({ dataDir });
	const facts = setup.port.facts;
	if (await isEmpty(facts)) await seedDemo(facts, setup.port.log);
	const agents: { author: Author; token: string }[] = [];
	for (let i = 0; i < opts.chats; i++) {
		const id = `chaos-agent-${i}`;
		await facts.db
			.insert(facts.t.users)
			.values({ id, email: `${id}@parley.test`, name: `Chaos ${i}`, role: 'agent', passwordHash: 'x', permissions: [], skills: ['tech'], capacity: 5, chatConfigurationId: 'default', presence: 'available' });
		agents.push({ author: { id, role: 'agent', name: `Chaos ${i}` }, token: (await createSession(facts, id, Date.now(), sessionLifetimeMs())).token });
	}
	await setup.port.close();

	let child: ChildProcess | null = null;
	let up = false;
	const clients: Client[] = [];
	let typing: NodeJS.Timeout | null = null;
	try {
		let port = (await startChild(0)).port;
		const base = `http://127.0.0.1:${port}`;

		// 2. Chats, each accepted by its agent; real clients in each.
		for (let i = 0; i < opts.chats; i++) {
			const customer = new ApiClient(base);
			const res = await customer.call('POST', '/api/chats', { name: `Customer ${i}`, email: `chaos${i}@example.com`, topic: 'Technical' });
			if (res.status !== 201) throw new Error(`start chat: ${res.status} ${res.raw}`);
			const agentApi = new ApiClient(base);
			agentApi.cookies.set('parley_session', agents[i].token);
			const accepted = await agentApi.call('POST', `/api/chats/${res.body.chatId}/accept`);
			if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.raw}`);
			const chat = `chat/${res.body.chatId}`;
			clients.push(connect(base, chat, agents[i].token, agents[i].author));
			for (let d = 1; d < opts.clientsPerChat; d++) clients.push(connect(base, chat, res.body.token, res.body.customer));
		}
		await eventually(() => {
			if (!clients.every((c) => c.provider.synced)) throw new Error('clients not synced');
		}, 30_000);

		// 3. Typing, all the time, wherever the server is.
		let n = 0;
		const sent: { id: string; chat: string }[] = [];
		typing = setInterval(() => {
			const c = clients[Math.floor(rnd() * clients.length)];
			const id = `m${++n}`;
			c.doc.getArray('messages').push([newTextMessage(c.author, `message ${n}`, Date.now(), id)]);
			sent.push({ id, chat: c.chat });
			report.sent++;
			if (!up) report.sentWhileDown++;
		}, opts.typeEveryMs);

		// 4. Kills at random moments.
		const seen = new Map<string, Set<string>>(); // chat -> ids some client had at a kill
		for (let k = 0; k < opts.kills; k++) {
			await sleep(between(opts.upMs));
			for (const c of clients) for (const id of ids(c.doc)) (seen.get(c.chat) ?? seen.set(c.chat, new Set()).get(c.chat)!).add(id);
			await killChild();
			report.kills++;
			await sleep(between(opts.downMs));
			port = (await startChild(port)).port;
			report.restarts++;
			log(`kill ${k + 1}/${opts.kills}: ${report.sent} sent (${report.sentWhileDown} while down)`);
		}
		clearInterval(typing);
		typing = null;
		report.seenAtKills = [...seen.values()].reduce((a, s) => a + s.size, 0);

		// 5. Everyone converges on the server's document, which holds every message sent or seen.
		const chats = [...new Set(clients.map((c) => c.chat))];
		const expected = new Map(chats.map((chat) => [chat, new Set([...(seen.get(chat) ?? []), ...sent.filter((s) => s.chat === chat).map((s) => s.id)])]));
		try {
			await eventually(async () => {
				for (const chat of chats) {
					const live = await serverIds(base, chat, agents[chats.indexOf(chat)].token);
					for (const c of clients.filter((x) => x.chat === chat))
						if (!c.provider.synced || JSON.stringify(ids(c.doc)) !== JSON.stringify(live)) throw new Error(`${chat}: a client differs from the server`);
					for (const id of expected.get(chat)!) if (!live.includes(id)) throw new Error(`${chat}: ${id} not (yet) in the server`);
				}
			}, 60_000);
			report.converged = true;
		} catch (err) {
			report.failures.push(`no convergence: ${(err as Error).message}`);
		}

		// 6. One more kill: what the server holds must be in its database, not only in memory.
		for (const c of clients) c.provider.disconnect();
		await killChild();
		report.kills++;
		const check = await openStorage({ dataDir });
		for (const chat of chats) {
			const doc = new Y.Doc();
			doc.getArray('messages');
			const loaded = await check.port.log.load(chat);
			if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.state);
			for (const u of loaded.updates) Y.applyUpdate(doc, u.update);
			const stored = ids(doc);
			for (const id of expected.get(chat)!)
				if (!stored.includes(id)) {
					report.lost++;
					if (report.failures.length < 20) report.failures.push(`${chat}: ${id} lost`);
				}
			report.duplicates += stored.length - new Set(stored).size;
			doc.destroy();
		}
		await check.port.close();
		report.refusedClients = clients.filter((c) => c.refusals.length > 0).length;
		for (const c of clients) report.failures.push(...c.refusals);
	} finally {
		if (typing) clearInterval(typing);
		for (const c of clients) {
			c.provider.destroy();
			c.doc.destroy();
		}
		await killChild();
		rmSync(dataDir, { recursive: true, force: true });
	}
	report.seconds = Math.round((performance.now() - started) / 100) / 10;
	return report;

	function connect(base: string, chat: string, token: string, author: Author): Client {
		const doc = new Y.Doc();
		doc.getArray('messages');
		const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/sync`, chat, doc, {
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true,
			params: { token },
			maxBackoffTime: 300
		});
		const client: Client = { chat, doc, provider, author, closes: [], refusals: [] };
		provider.on('connection-close', (event: CloseEvent | null) => {
			if (!event) return;
			client.closes.push(event.code);
			if (event.code >= 4400 && event.code < 4500) client.refusals.push(`${chat} ${author.id}: ${event.code} ${event.reason}`);
		});
		return client;
	}

	/** The server's live message ids, through a fresh client. */
	async function serverIds(base: string, chat: string, token: string): Promise<string[]> {
		const verifier = connect(base, chat, token, { id: 'verifier', role: 'agent', name: 'Verifier' });
		try {
			await eventually(() => {
				if (!verifier.provider.synced) throw new Error('verifier not synced');
			}, 5000);
			return ids(verifier.doc);
		} finally {
			verifier.provider.destroy();
			verifier.doc.destroy();
		}
	}

	function startChild(port: number): Promise<{ port: number }> {
		return new Promise((ok, fail) => {
			const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
				cwd: ROOT,
				env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), CHAOS_NO_MESSAGE_BUDGET: '1' },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			child = proc;
			let out = '';
			let err = '';
			proc.stderr!.on('data', (d) => (err += d));
			proc.stdout!.on('data', (d) => {
				out += d;
				const m = /PORT (\d+)/.exec(out);
				if (m && !up) {
					up = true;
					ok({ port: Number(m[1]) });
				}
			});
			proc.on('exit', (code, signal) => {
				if (child === proc) up = false;
				if (!/PORT \d+/.test(out)) fail(new Error(`server exited (${code ?? signal}) before listening: ${err.slice(-2000)}`));
			});
		});
	}

	/** SIGKILL, and wait until the process is gone (its port is free again). */
	async function killChild() {
		const proc = child;
		up = false;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
		const gone = new Promise((ok) => proc.once('exit', ok));
		proc.kill('SIGKILL');
		await gone;
	}
}
