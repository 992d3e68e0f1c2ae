import * as Y from 'yjs';
import type { OpenedStorage } from '../../server/storage/open';
import type { UpdateLog } from '../../server/storage/update-log';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { eventually } from '../helpers/server';
import { dropClient, messageIds, openChaosChats, seedChaosAgents, serverIds, type ChaosClient } from './chaos-clients';
import type { ChaosInstance } from './chaos-instance';

// The core of the crash tests, one server (chaos-harness.ts) or a cluster behind a balancer
// (tests/cluster/cluster-chaos-harness.ts): real clients type into live chats all the time while
// instances are SIGKILLed at random moments and restarted. In the end every message typed or seen
// at a kill must be on every instance, every client converged on it, and after killing them all
// the log must hold each message once. The variant says which instance dies and how the log is read.

export interface ChaosLoad {
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

/** What every variant reports. */
export interface ChaosCounts {
	seed: number;
	kills: number;
	sent: number;
	/** Ids any client had in its document at some kill: all must survive. */
	seenAtKills: number;
	lost: number;
	duplicates: number;
	converged: boolean;
	/** Honest clients closed permanently (44xx): each would be a refused honest update. */
	refusedClients: number;
	seconds: number;
	failures: string[];
}

export interface ChaosVariant {
	instances: ChaosInstance[];
	/** The storage the instances share, opened here to seed it before and read it after. */
	openStorage(): Promise<OpenedStorage>;
	/** Starts the instances; resolves to the URL clients and API calls go through. */
	start(): Promise<string>;
	/** The instance to kill now, or null to wait for another moment. */
	victim(): ChaosInstance | null;
	/** Brings a killed instance back after `downMs` (awaited or in the background). */
	restart(victim: ChaosInstance, downMs: number): Promise<void>;
	/** After the last kill: every instance up again. */
	settle(): Promise<void>;
	/** The message ids the log holds for a chat, every instance dead; problems go to `failures`. */
	storedIds(log: UpdateLog, chat: string, failures: string[]): Promise<string[]>;
	/** The final kill of every instance is counted as a kill. */
	countFinalKill?: boolean;
	/** A log that does not replay to what the instances held live is a failure. */
	checkReplay?: boolean;
	/** A typed message, while `up` tells whether every instance is up. */
	onSent?(): void;
	/** A client (re)connected while typing went on. */
	onReconnect?(): void;
}

/** The outcome beyond the counts: whether the log replays to what the instances held live. */
export interface ChaosOutcome {
	replayMatches: boolean;
}

export const newChaosCounts = (seed: number): ChaosCounts => ({
	seed,
	kills: 0,
	sent: 0,
	seenAtKills: 0,
	lost: 0,
	duplicates: 0,
	converged: false,
	refusedClients: 0,
	seconds: 0,
	failures: []
});

/** Whether a run lost nothing: the exit status of `npm run chaos`. */
export const chaosHeld = (r: ChaosCounts): boolean => r.lost === 0 && r.duplicates === 0 && r.converged && r.refusedClients === 0 && r.failures.length === 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const secondsSince = (started: number) => Math.round((performance.now() - started) / 100) / 10;

/** Message ids of a chat rebuilt from its latest checkpoint and the updates after it. */
export async function loadedIds(log: UpdateLog, chat: string): Promise<string[]> {
	const doc = new Y.Doc();
	doc.getArray('messages');
	const loaded = await log.load(chat);
	if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.state);
	for (const u of loaded.updates) Y.applyUpdate(doc, u.update);
	return finish(doc);
}

/** Message ids of a chat replayed from every update in the log; a hole in its seqs is a failure. */
export async function replayedIds(log: UpdateLog, chat: string, failures: string[]): Promise<string[]> {
	const doc = new Y.Doc();
	doc.getArray('messages');
	const rows = await log.readRange(chat);
	for (const u of rows) Y.applyUpdate(doc, u.update);
	if (rows.some((r, i) => r.seq !== i + 1)) failures.push(`${chat}: the seqs have a hole`);
	return finish(doc);
}

function finish(doc: Y.Doc): string[] {
	const ids = messageIds(doc);
	doc.destroy();
	return ids;
}

/**
 * Runs the load against the variant's instances, filling `report`'s counts. The variant's
 * instances are killed before this resolves or throws; its other resources are the caller's.
 */
export async function runChaosCore(load: ChaosLoad, rnd: () => number, report: ChaosCounts, variant: ChaosVariant): Promise<ChaosOutcome> {
	const log = load.log ?? (() => {});
	const between = ([lo, hi]: [number, number]) => lo + rnd() * (hi - lo);
	const outcome: ChaosOutcome = { replayMatches: false };

	// 1. The database: demo seed, one agent per chat with a session (written before any server runs).
	const setup = await variant.openStorage();
	const agents = await seedChaosAgents(setup, load.chats);
	await setup.port.close();

	const clients: ChaosClient[] = [];
	let typingPhase = false; // reconnections of the typing clients (not the verifiers at the end)
	let typing: NodeJS.Timeout | null = null;
	try {
		const base = await variant.start();

		// 2. Chats, each accepted by its agent; real clients in each.
		await openChaosChats(base, agents, load.clientsPerChat, clients, () => typingPhase && variant.onReconnect?.());
		typingPhase = true;

		// 3. Typing, all the time, wherever the instances are.
		let n = 0;
		const sent: { id: string; chat: string }[] = [];
		typing = setInterval(() => {
			const c = clients[Math.floor(rnd() * clients.length)];
			const id = `m${++n}`;
			c.doc.getArray('messages').push([newTextMessage(c.author, `message ${n}`, Date.now(), id)]);
			sent.push({ id, chat: c.chat });
			report.sent++;
			variant.onSent?.();
		}, load.typeEveryMs);

		// 4. Kills at random moments.
		const seen = new Map<string, Set<string>>(); // chat -> ids some client had at a kill
		for (let k = 0; k < load.kills; k++) {
			await sleep(between(load.upMs));
			const victim = variant.victim();
			if (!victim) {
				k--;
				continue;
			}
			for (const c of clients) for (const id of messageIds(c.doc)) (seen.get(c.chat) ?? seen.set(c.chat, new Set()).get(c.chat)!).add(id);
			await victim.kill();
			report.kills++;
			await variant.restart(victim, between(load.downMs));
			log(`kill ${k + 1}/${load.kills}: ${victim.name}; ${report.sent} sent`);
		}
		await variant.settle();
		clearInterval(typing);
		typing = null;
		report.seenAtKills = [...seen.values()].reduce((a, s) => a + s.size, 0);

		// 5. Every instance holds every message sent or seen, and every client converged on it.
		typingPhase = false;
		const chats = [...new Set(clients.map((c) => c.chat))];
		const expected = new Map(chats.map((chat) => [chat, new Set([...(seen.get(chat) ?? []), ...sent.filter((s) => s.chat === chat).map((s) => s.id)])]));
		const held = new Map<string, string[]>();
		try {
			await eventually(async () => {
				for (const chat of chats) {
					const token = agents[chats.indexOf(chat)].token;
					const views = await Promise.all(variant.instances.map((i) => serverIds(i.url, chat, token)));
					for (const v of views) if (JSON.stringify(v) !== JSON.stringify(views[0])) throw new Error(`${chat}: the instances differ`);
					for (const c of clients.filter((x) => x.chat === chat))
						if (!c.provider.synced || JSON.stringify(messageIds(c.doc)) !== JSON.stringify(views[0])) throw new Error(`${chat}: a client differs from the server`);
					for (const id of expected.get(chat)!) if (!views[0].includes(id)) throw new Error(`${chat}: ${id} not (yet) in the server`);
					held.set(chat, views[0]);
				}
			}, 60_000);
			report.converged = true;
		} catch (err) {
			report.failures.push(`no convergence: ${(err as Error).message}`);
		}

		// 6. All killed: what the instances held must be in the database, each message once.
		for (const c of clients) c.provider.disconnect();
		await Promise.all(variant.instances.map((i) => i.kill()));
		if (variant.countFinalKill) report.kills++;
		const check = await variant.openStorage();
		outcome.replayMatches = report.converged;
		for (const chat of chats) {
			const stored = await variant.storedIds(check.port.log, chat, report.failures);
			for (const id of expected.get(chat)!)
				if (!stored.includes(id)) {
					report.lost++;
					if (report.failures.length < 20) report.failures.push(`${chat}: ${id} lost`);
				}
			report.duplicates += stored.length - new Set(stored).size;
			if (held.has(chat) && JSON.stringify(held.get(chat)) !== JSON.stringify(stored)) {
				outcome.replayMatches = false;
				if (variant.checkReplay) report.failures.push(`${chat}: the log replays to something else than the instances held`);
			}
		}
		await check.port.close();
		report.refusedClients = clients.filter((c) => c.refusals.length > 0).length;
		for (const c of clients) report.failures.push(...c.refusals);
	} finally {
		if (typing) clearInterval(typing);
		for (const c of clients) dropClient(c);
		await Promise.all(variant.instances.map((i) => i.kill()));
	}
	return outcome;
}
