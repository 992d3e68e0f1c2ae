import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
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
import { createDatabase } from '../helpers/postgres';
import { eventually } from '../helpers/server';

// B5 (issue 13): crashes in a cluster. N instances (child processes) on one PostgreSQL database
// and one Redis, behind a load balancer (a TCP proxy here: each new connection goes to a random
// instance that is up). Real y-websocket clients type into live chats while instances are
// SIGKILLed at random and restarted; a killed instance's clients reconnect through the balancer
// to another one and resync. At least one instance is always up. In the end every message typed
// or seen is on every instance, every client converged, and the log (after killing them all)
// holds each message once and replays to what the instances held.

const ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), '../security/chaos-server.ts');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClusterChaosOptions {
	seed: number;
	instances: number;
	kills: number;
	chats: number;
	clientsPerChat: number;
	typeEveryMs: number;
	upMs: [number, number];
	downMs: [number, number];
	/** PostgreSQL server (a base URL whose user may create databases) and Redis. */
	postgres: string;
	redis: string;
	log?: (line: string) => void;
}

export interface ClusterChaosReport {
	seed: number;
	instances: number;
	kills: number;
	sent: number;
	seenAtKills: number;
	/** Client reconnections through the balancer (to whichever instance it picked). */
	reconnects: number;
	lost: number;
	duplicates: number;
	converged: boolean;
	/** Whether the log, replayed, gives each document the instances held. */
	replayMatches: boolean;
	refusedClients: number;
	seconds: number;
	failures: string[];
}

interface Client {
	chat: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	author: Author;
	refusals: string[];
}

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

/** One instance: a child process on a port of its own, killed and started again on it. */
class Instance {
	proc: ChildProcess | null = null;
	up = false;
	port = 0;

	constructor(
		readonly name: string,
		private readonly env: Record<string, string>
	) {}

	start(): Promise<void> {
		return new Promise((ok, fail) => {
			const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
				cwd: ROOT,
				env: { ...process.env, ...this.env, PORT: String(this.port), CHAOS_NO_MESSAGE_BUDGET: '1' },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			this.proc = proc;
			let out = '';
			let err = '';
			proc.stderr!.on('data', (d) => (err += d));
			proc.stdout!.on('data', (d) => {
				out += d;
				const m = /PORT (\d+)/.exec(out);
				if (m && !this.up) {
					this.up = true;
					this.port = Number(m[1]);
					ok();
				}
			});
			proc.on('exit', (code, signal) => {
				if (this.proc === proc) this.up = false;
				if (!/PORT \d+/.test(out)) fail(new Error(`${this.name} exited (${code ?? signal}) before listening: ${err.slice(-2000)}`));
			});
		});
	}

	async kill() {
		const proc = this.proc;
		this.up = false;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
		const gone = new Promise((ok) => proc.once('exit', ok));
		proc.kill('SIGKILL');
		await gone;
	}
}

/** A load balancer without stickiness: each new connection to a random instance that is up. */
function balancer(instances: Instance[], rnd: () => number): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
	const sockets = new Set<Socket>();
	const server = createServer((client) => {
		const live = instances.filter((i) => i.up);
		if (live.length === 0) return client.destroy();
		const target = live[Math.floor(rnd() * live.length)];
		const upstream = tcpConnect(target.port, '127.0.0.1');
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		client.pipe(upstream).pipe(client);
	});
	return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, port: (server.address() as { port: number }).port, sockets })));
}

export async function runClusterChaos(opts: ClusterChaosOptions): Promise<ClusterChaosReport> {
	const started = performance.now();
	const log = opts.log ?? (() => {});
	const rnd = random(opts.seed);
	const between = ([lo, hi]: [number, number]) => lo + rnd() * (hi - lo);
	const report: ClusterChaosReport = {
		seed: opts.seed,
		instances: opts.instances,
		kills: 0,
		sent: 0,
		seenAtKills: 0,
		reconnects: 0,
		lost: 0,
		duplicates: 0,
		converged: false,
		replayMatches: false,
		refusedClients: 0,
		seconds: 0,
		failures: []
	};
	const database = await createDatabase(opts.postgres, 'parley_chaos');
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-cluster-chaos-'));
	const prefix = `parley-chaos-${process.pid}-${randomBytes(3).toString('hex')}:`;

	// 1. The database: migrated, demo seed, one agent per chat with a session.
	const setup = await openStorage({ databaseUrl: database.url, dataDir });
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

	const env = { DATA_DIR: dataDir, CHILD_DATABASE_URL: database.url, REDIS_URL: opts.redis, REDIS_PREFIX: prefix };
	const instances = Array.from({ length: opts.instances }, (_, i) => new Instance(String.fromCharCode(65 + i), env));
	const clients: Client[] = [];
	let counting = false;
	let typing: NodeJS.Timeout | null = null;
	let lb: Awaited<ReturnType<typeof balancer>> | null = null;
	try {
		await Promise.all(instances.map((i) => i.start()));
		lb = await balancer(instances, rnd);
		const base = `http://127.0.0.1:${lb.port}`;

		// 2. Chats, each accepted by its agent (each request through the balancer); clients in each.
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
		counting = true; // reconnections of the typing clients (not the verifiers at the end)
		report.reconnects = 0;

		// 3. Typing all the time, on whichever instance each client is.
		let n = 0;
		const sent: { id: string; chat: string }[] = [];
		typing = setInterval(() => {
			const c = clients[Math.floor(rnd() * clients.length)];
			const id = `m${++n}`;
			c.doc.getArray('messages').push([newTextMessage(c.author, `message ${n}`, Date.now(), id)]);
			sent.push({ id, chat: c.chat });
			report.sent++;
		}, opts.typeEveryMs);

		// 4. Kills of a random instance (never the last one up), each restarted after a while.
		const seen = new Map<string, Set<string>>();
		const restarts: Promise<void>[] = [];
		for (let k = 0; k < opts.kills; k++) {
			await sleep(between(opts.upMs));
			const live = instances.filter((i) => i.up);
			if (live.length < 2) {
				k--;
				continue;
			}
			const victim = live[Math.floor(rnd() * live.length)];
			for (const c of clients) for (const id of ids(c.doc)) (seen.get(c.chat) ?? seen.set(c.chat, new Set()).get(c.chat)!).add(id);
			await victim.kill();
			report.kills++;
			const down = between(opts.downMs);
			restarts.push(sleep(down).then(() => victim.start()));
			log(`kill ${k + 1}/${opts.kills}: ${victim.name}; ${report.sent} sent`);
		}
		await Promise.all(restarts);
		clearInterval(typing);
		typing = null;
		report.seenAtKills = [...seen.values()].reduce((a, s) => a + s.size, 0);

		// 5. Every instance holds every message sent or seen, and every client converged.
		counting = false;
		const chats = [...new Set(clients.map((c) => c.chat))];
		const expected = new Map(chats.map((chat) => [chat, new Set([...(seen.get(chat) ?? []), ...sent.filter((s) => s.chat === chat).map((s) => s.id)])]));
		const held = new Map<string, string[]>();
		try {
			await eventually(async () => {
				for (const chat of chats) {
					const token = agents[chats.indexOf(chat)].token;
					const views = await Promise.all(instances.map((i) => serverIds(`http://127.0.0.1:${i.port}`, chat, token)));
					for (const v of views) if (JSON.stringify(v) !== JSON.stringify(views[0])) throw new Error(`${chat}: the instances differ`);
					for (const c of clients.filter((x) => x.chat === chat))
						if (!c.provider.synced || JSON.stringify(ids(c.doc)) !== JSON.stringify(views[0])) throw new Error(`${chat}: a client differs`);
					for (const id of expected.get(chat)!) if (!views[0].includes(id)) throw new Error(`${chat}: ${id} not (yet) on the instances`);
					held.set(chat, views[0]);
				}
			}, 60_000);
			report.converged = true;
		} catch (err) {
			report.failures.push(`no convergence: ${(err as Error).message}`);
		}

		// 6. All killed: the log holds each message once, and replays to what the instances held.
		for (const c of clients) c.provider.disconnect();
		await Promise.all(instances.map((i) => i.kill()));
		const check = await openStorage({ databaseUrl: database.url, dataDir });
		report.replayMatches = report.converged;
		for (const chat of chats) {
			const doc = new Y.Doc();
			doc.getArray('messages');
			for (const u of await check.port.log.readRange(chat)) Y.applyUpdate(doc, u.update);
			const stored = ids(doc);
			for (const id of expected.get(chat)!)
				if (!stored.includes(id)) {
					report.lost++;
					if (report.failures.length < 20) report.failures.push(`${chat}: ${id} lost`);
				}
			report.duplicates += stored.length - new Set(stored).size;
			if (held.has(chat) && JSON.stringify(held.get(chat)) !== JSON.stringify(stored)) {
				report.replayMatches = false;
				report.failures.push(`${chat}: the log replays to something else than the instances held`);
			}
			const seqs = (await check.port.log.readRange(chat)).map((r) => r.seq);
			if (seqs.some((s, i) => s !== i + 1)) report.failures.push(`${chat}: the seqs have a hole`);
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
		await Promise.all(instances.map((i) => i.kill()));
		if (lb) {
			for (const s of lb.sockets) s.destroy();
			await new Promise((ok) => lb!.server.close(ok));
		}
		rmSync(dataDir, { recursive: true, force: true });
		await database.drop();
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
		const client: Client = { chat, doc, provider, author, refusals: [] };
		provider.on('status', (e: { status: string }) => e.status === 'connected' && counting && report.reconnects++);
		provider.on('connection-close', (event: CloseEvent | null) => {
			if (event && event.code >= 4400 && event.code < 4500) client.refusals.push(`${chat} ${author.id}: ${event.code} ${event.reason}`);
		});
		return client;
	}

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
}
