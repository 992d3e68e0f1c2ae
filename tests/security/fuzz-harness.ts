import fc from 'fast-check';
import * as Y from 'yjs';
import { checkClientMessage, MAX_CLOCK_SKEW_MS } from '../../src/lib/core/message-policy';
import type { Author } from '../../src/lib/core/types';
import { hashPassword } from '../../server/auth/passwords';
import { createSession } from '../../server/auth/sessions';
import type { LiveDoc } from '../../server/sync/live-doc';
import { NO_MESSAGE_BUDGET, type SyncLimits } from '../../server/sync/limits';
import { ApiClient, startCustomerChat } from '../helpers/api';
import { eventually, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { DOCUMENTED, plan, specArbitrary, type Outcome, type Plan, type Spec, type Target } from './fuzz-cases';
import { RawSocket } from './raw-socket';
import { clientFrame, pipelinedUpgrade } from './wire';

// The seeded fuzz of the sync gateway (issue "Nothing gets in"): lanes of attackers, each against
// a live chat with honest clients in it. Every case gets a fresh socket, sends its frames, and
// waits for a barrier (or the close). Then: the outcome must be one the case allows, any close
// code must be documented, the document may only have gained valid appends by their own writers,
// and, at every chat change, the honest clients must have converged on the server's document and
// the replayed log must rebuild it.

export interface FuzzOptions {
	server: TestServer;
	/**
	 * B5: the instance the honest clients are on (default: `server`, where the hostile sockets
	 * go): another one of a cluster, so that what is accepted reaches them through the fan-out.
	 */
	honestServer?: Pick<TestServer, 'url'>;
	seed: number;
	cases: number;
	lanes: number;
	/** Cases against one chat before the lane moves on to a fresh one (keeps documents small). */
	casesPerChat?: number;
	/** Include frames above the 256 KiB limit (slow: they are real bytes on the wire). */
	oversized?: boolean;
	progress?: (done: number) => void;
}

export interface FuzzReport {
	seed: number;
	tried: number;
	accepted: number;
	rejected: number;
	/** Undocumented close codes, internal errors, dropped sockets, uncaught exceptions, a dead server. */
	crashes: number;
	/** Changes the policy should have refused: forged ids in the document, bad authors, deletions, writes outside messages. */
	unauthorized: number;
	/** Outcomes a case does not allow (e.g. an honest append refused). */
	unexpected: number;
	/** Honest clients closed or not converged; a log that does not replay to the live document. */
	divergent: number;
	/** T1: accepted messages that landed before a message the document already had. */
	nonAppends: number;
	/** T2: messages whose `at` is outside the skew window of the server's clock. */
	badTimes: number;
	/** T2: message ids that occur twice in one document. */
	duplicateIds: number;
	byKind: Record<string, { tried: number; accepted: number; rejected: number }>;
	closeCodes: Record<string, number>;
	failures: string[];
	chats: number;
	seconds: number;
}

const MAX_FAILURES = 30;

/**
 * The fuzz's server: message budgets out of the way (the lanes append far faster than a person;
 * the budgets have their own tests), and no grace for changes still on the wire, so that an
 * attacker who was sent the whole document may place nothing before any of it (T1).
 */
export const FUZZ_LIMITS: Partial<SyncLimits> = { ...NO_MESSAGE_BUDGET, sentGraceMs: 0 };

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
	const { server } = opts;
	const started = performance.now();
	const report: FuzzReport = {
		seed: opts.seed,
		tried: 0,
		accepted: 0,
		rejected: 0,
		crashes: 0,
		unauthorized: 0,
		unexpected: 0,
		divergent: 0,
		nonAppends: 0,
		badTimes: 0,
		duplicateIds: 0,
		byKind: {},
		closeCodes: {},
		failures: [],
		chats: 0,
		seconds: 0
	};
	const fail = (counter: 'crashes' | 'unauthorized' | 'unexpected' | 'divergent' | 'nonAppends' | 'badTimes' | 'duplicateIds', what: string) => {
		report[counter]++;
		if (report.failures.length < MAX_FAILURES) report.failures.push(`${counter}: ${what}`);
	};
	const onUncaught = (err: unknown) => fail('crashes', `uncaught: ${(err as Error)?.stack ?? err}`);
	process.on('uncaughtException', onUncaught);
	process.on('unhandledRejection', onUncaught);

	const passwordHash = await hashPassword('parley-demo');
	const perLane = Math.ceil(opts.cases / opts.lanes);
	const arbitrary = specArbitrary({ oversized: opts.oversized ?? false });
	try {
		await Promise.all(
			Array.from({ length: opts.lanes }, (_, lane) =>
				runLane(lane, Math.min(perLane, opts.cases - lane * perLane))
			)
		);
	} finally {
		process.off('uncaughtException', onUncaught);
		process.off('unhandledRejection', onUncaught);
	}
	const health = await fetch(`${server.url}/api/health`).then((r) => r.status).catch(() => 0);
	if (health !== 200) fail('crashes', `health check answered ${health}`);
	report.seconds = Math.round((performance.now() - started) / 100) / 10;
	return report;

	async function runLane(lane: number, count: number) {
		if (count <= 0) return;
		const agentId = `fuzz-agent-${opts.seed}-${lane}`;
		const { db, t } = server.storage.facts;
		await db
			.insert(t.users)
			.values({ id: agentId, email: `${agentId}@parley.test`, name: `Fuzz ${lane}`, role: 'agent', passwordHash, permissions: [], skills: ['tech'], capacity: 100_000, chatConfigurationId: 'default' });
		const { token: agentToken } = await createSession(server.storage.facts, agentId, Date.now(), server.app.config.sessionLifetimeMs);
		const agentApi = new ApiClient(server.url);
		agentApi.cookies.set('parley_session', agentToken);
		await agentApi.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const agent: Author = { id: agentId, role: 'agent', name: `Fuzz ${lane}` };

		const chunk = Math.min(count, opts.casesPerChat ?? 250);
		for (let done = 0; done < count; done += chunk) {
			const specs = fc.sample(arbitrary, { seed: opts.seed + lane * 1_000_003 + done, numRuns: Math.min(chunk, count - done) });
			await runChat(lane, done, specs, agent, agentToken, agentApi);
		}
	}

	async function runChat(lane: number, offset: number, specs: Spec[], agent: Author, agentToken: string, agentApi: ApiClient) {
		const customer = await startCustomerChat(server, 'Technical', `Fuzz Customer ${lane}`, `fuzz${lane}-${offset}@example.com`);
		const accepted = await agentApi.call('POST', `/api/chats/${customer.chatId}/accept`);
		if (accepted.status !== 200) throw new Error(`lane ${lane}: accept ${accepted.status} ${accepted.raw}`);
		report.chats++;
		const name = `chat/${customer.chatId}`;
		const desk = `agent/${agent.id}`;
		// Honest clients: the agent (its clientID is the one forgers try to take) and the customer.
		const honestUrl = (opts.honestServer ?? server).url;
		const honestAgent = connectDoc(honestUrl, name, agentToken);
		const honestCustomer = connectDoc(honestUrl, name, customer.token);
		// With the honest clients elsewhere, a reader keeps the chat loaded on `server` (it is checked there).
		const keeper = opts.honestServer ? connectDoc(server.url, name, customer.token) : null;
		try {
			await Promise.all([honestAgent.synced(), honestCustomer.synced(), keeper?.synced()]);
			const hello = `l${lane}-o${offset}-hello`;
			honestAgent.doc.getArray('messages').push([{ id: hello, kind: 'text', author: agent, text: 'hello', at: Date.now() }]);
			// The chat stays loaded while the honest clients are in it: read it as it is, synchronously.
			const live = (): LiveDoc => {
				const loaded = server.docs.loaded(name);
				if (!loaded) throw new Error(`${name} is not loaded`);
				return loaded;
			};
			await eventually(() => {
				if (!ids(live().doc).includes(hello)) throw new Error('hello not yet in');
			}, 30_000);
			if (opts.honestServer)
				// B5: the honest agent's awareness has crossed to `server` before any case tries to take its clientID.
				await eventually(() => {
					if (!live().presence.remoteIds.has(honestAgent.doc.clientID)) throw new Error('honest awareness not here yet');
				}, 30_000);
			const baseline = { participants: JSON.stringify(live().doc.getMap('participants').toJSON()), meta: JSON.stringify(live().doc.getMap('meta').toJSON()) };
			const authors = new Map<string, Author>([
				[agent.id, agent],
				[customer.customer.id, customer.customer]
			]);
			const seen = new Set<string>(ids(live().doc));
			let cachedSeq = -1;
			let cachedState: Uint8Array = new Uint8Array();
			const target: Target = {
				state() {
					if (live().seq !== cachedSeq) {
						cachedSeq = live().seq;
						cachedState = Y.encodeStateAsUpdate(live().doc);
					}
					return cachedState;
				},
				messageCount: () => live().doc.getArray('messages').length,
				messageIds: () => ids(live().doc),
				customer: customer.customer,
				agent,
				victims: { agent: honestAgent.doc.clientID, server: live().doc.clientID }
			};

			for (let i = 0; i < specs.length; i++) {
				const spec = specs[i];
				const tag = `l${lane}-o${offset + i}`;
				const label = `${tag} ${spec.kind} ${JSON.stringify(spec, (_, v) => (v instanceof Uint8Array ? `bytes(${v.length})` : typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…` : v))}`;
				let p: Plan;
				try {
					p = plan(spec, target, tag);
				} catch (err) {
					fail('unexpected', `${label}: could not build the case: ${(err as Error).message}`);
					continue;
				}
				const before = ids(live().doc);
				// Sockets of earlier cases may still be closing on the server side: stay within the limits.
				await eventually(() => {
					if (live().peers.size > 6) throw new Error('earlier sockets still open');
				}, 30_000);
				const outcome = await send(p, p.doc === 'chat' ? name : desk, p.who === 'agent' ? agentToken : p.who === 'customer' ? customer.token : undefined);
				const k = (report.byKind[spec.kind] ??= { tried: 0, accepted: 0, rejected: 0 });
				report.tried++;
				k.tried++;
				if (outcome === 'accepted') {
					report.accepted++;
					k.accepted++;
				} else {
					report.rejected++;
					k.rejected++;
					report.closeCodes[outcome] = (report.closeCodes[outcome] ?? 0) + 1;
					if (!DOCUMENTED.has(outcome)) fail('crashes', `${label}: closed with undocumented code ${outcome}`);
				}
				if (!p.expect.includes(outcome)) fail('unexpected', `${label}: ${outcome}, expected ${p.expect.join(' or ')}`);

				const doc = live().doc;
				const now = ids(doc);
				for (const v of transcriptViolations(doc, before)) fail(v.counter, `${label}: ${v.what}`);
				if (outcome === 'accepted')
					for (const id of p.appears) if (!now.includes(id)) fail('unexpected', `${label}: accepted but ${id} is missing`);
				for (const id of p.never) if (now.includes(id)) fail('unauthorized', `${label}: forged ${id} is in the document`);
				for (const v of violations(live(), baseline, authors, seen)) fail('unauthorized', `${label}: ${v}`);
				if (p.deskOffer !== undefined) {
					// The desk changes under the server's own writes (other lanes' chats are offered): look for the forgery.
					const deskDoc = (await server.docs.get(desk)).doc;
					if (deskDoc.getMap('offers').has(p.deskOffer)) fail('unauthorized', `${label}: a forged offer is on the read-only desk`);
					for (const key of deskDoc.share.keys())
						if (!['offers', 'chats', 'banners', 'requests', 'config'].includes(key)) fail('unauthorized', `${label}: desk root ${key}`);
				}
				if (p.awarenessIds) {
					const states = live().awareness.getStates();
					const mine = authors.get(p.who === 'agent' ? agent.id : customer.customer.id)!;
					for (const id of p.awarenessIds) {
						const user = states.get(id)?.user;
						if (user && id !== honestAgent.doc.clientID && (user.id !== mine.id || user.name !== mine.name || user.role !== mine.role))
							fail('unauthorized', `${label}: awareness ${id} speaks as ${JSON.stringify(user)}`);
					}
					const honestState = states.get(honestAgent.doc.clientID);
					if (honestState && honestState.user?.id !== agent.id) fail('unauthorized', `${label}: the honest agent's awareness was taken over`);
				}
				opts.progress?.(1);
			}

			// Honest clients: never closed, and converged on exactly the server's document.
			for (const [who, c] of [['agent', honestAgent], ['customer', honestCustomer]] as const)
				if (c.closes.length > 0) fail('divergent', `${name}: the honest ${who} was closed ${JSON.stringify(c.closes)}`);
			try {
				await eventually(() => {
					const server = JSON.stringify(chatJson(live().doc));
					for (const c of [honestAgent, honestCustomer]) if (JSON.stringify(chatJson(c.doc)) !== server) throw new Error('not converged');
				}, 30_000);
			} catch {
				const server = chatJson(live().doc);
				const detail = [honestAgent, honestCustomer].map((c) => {
					const mine = chatJson(c.doc);
					const keys = (['messages', 'participants', 'meta'] as const).filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(server[k]));
					const pending = c.doc.store.pendingStructs ? ' (pending structs)' : '';
					const diff = keys.includes('participants') ? ` ${JSON.stringify(mine.participants)} vs ${JSON.stringify(server.participants)}` : '';
					return `${keys.join(',') || 'same'}${pending}, ${mine.messages?.length} vs ${server.messages.length} messages${diff}`;
				});
				fail('divergent', `${name}: honest clients did not converge on the server's document: ${detail.join(' / ')}`);
			}
			// The log replays to the live document (no accepted update that cannot be applied again).
			const loaded = await server.storage.log.load(name);
			const replay = new Y.Doc();
			chatJson(replay);
			if (loaded.checkpoint) Y.applyUpdate(replay, loaded.checkpoint.state);
			for (const u of loaded.updates) Y.applyUpdate(replay, u.update);
			if (JSON.stringify(chatJson(replay)) !== JSON.stringify(chatJson(live().doc)) || replay.store.pendingStructs)
				fail('divergent', `${name}: the replayed log differs from the live document`);
			replay.destroy();
		} finally {
			honestAgent.destroy();
			honestCustomer.destroy();
			keeper?.destroy();
			await customer.call('POST', `/api/chats/${customer.chatId}/end`);
		}
	}

	async function send(p: Plan, doc: string, token: string | undefined): Promise<Outcome> {
		if (p.who === 'anonymous') {
			const answer = await pipelinedUpgrade(server.port, `/sync/${doc}`, [], p.frames.map((f) => clientFrame(typeof f === 'string' ? new TextEncoder().encode(f) : f, typeof f === 'string' ? 0x1 : 0x2)));
			return answer.closeCode ?? 1006;
		}
		const s = new RawSocket(server.url, doc, { token });
		try {
			await Promise.race([s.opened.catch(() => {}), s.ended]);
			if (s.closed) return s.closed.code;
			for (const f of p.frames) s.send(f);
			const closed = await s.barrier();
			return closed ? closed.code : 'accepted';
		} finally {
			s.close();
		}
	}
}

type TranscriptCounter = 'nonAppends' | 'badTimes' | 'duplicateIds';

/**
 * T1/T2 after one case: what was there stays in front, in its order (only appends); no id twice;
 * every client message's time within the skew of the server's clock (all of a lane's messages
 * were written in the last few minutes).
 */
function transcriptViolations(doc: Y.Doc, before: string[]): { counter: TranscriptCounter; what: string }[] {
	const out: { counter: TranscriptCounter; what: string }[] = [];
	const messages = doc.getArray<{ id?: unknown; kind?: unknown; at?: unknown }>('messages').toArray();
	const now = messages.map((m) => String(m?.id));
	if (before.some((id, i) => now[i] !== id)) out.push({ counter: 'nonAppends', what: `a message landed before earlier ones: ${JSON.stringify(now.slice(0, before.length + 2))}` });
	if (new Set(now).size !== now.length) out.push({ counter: 'duplicateIds', what: 'an id occurs twice' });
	const clock = Date.now();
	for (const m of messages)
		if (m?.kind === 'text' && !(typeof m.at === 'number' && Math.abs(m.at - clock) <= MAX_CLOCK_SKEW_MS))
			out.push({ counter: 'badTimes', what: `message ${String(m.id)} at ${String(m.at)}` });
	return out;
}

/** A chat document's content (its roots by their real types, also in a doc that never named them). */
/** The chat's content; a map's keys sorted (their order is the order this replica integrated them in). */
function chatJson(doc: Y.Doc) {
	const sorted = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
	return {
		messages: doc.getArray('messages').toJSON() as unknown[],
		participants: sorted(doc.getMap('participants').toJSON()),
		meta: sorted(doc.getMap('meta').toJSON())
	};
}

function ids(doc: Y.Doc): string[] {
	return doc.getArray<{ id?: unknown }>('messages').toArray().map((m) => String(m?.id));
}

/**
 * What the document must always be: only the three roots, nothing pending, participants and meta
 * as the server left them, no message ever removed, and every message written by the writer its
 * clientID is bound to (the server's own: system notices).
 */
function violations(live: LiveDoc, baseline: { participants: string; meta: string }, authors: Map<string, Author>, seen: Set<string>): string[] {
	const out: string[] = [];
	const doc = live.doc;
	for (const key of doc.share.keys()) if (!['messages', 'participants', 'meta'].includes(key)) out.push(`unknown root ${key}`);
	if (doc.store.pendingStructs || doc.store.pendingDs) out.push('pending structs in the server document');
	if (JSON.stringify(doc.getMap('participants').toJSON()) !== baseline.participants) out.push('participants changed');
	if (JSON.stringify(doc.getMap('meta').toJSON()) !== baseline.meta) out.push('meta changed');
	const now = new Set<string>();
	for (let item = doc.getArray('messages')._start; item !== null; item = item.right) {
		if (item.deleted) {
			out.push(`message item ${item.id.client}:${item.id.clock} deleted`);
			continue;
		}
		if (!(item.content instanceof Y.ContentAny)) {
			out.push(`message content ${item.content.constructor.name}`);
			continue;
		}
		const owner = live.clientOwners.get(item.id.client);
		for (const value of item.content.arr as { id: string; kind: string }[]) {
			now.add(String(value?.id));
			if (owner === 'server') {
				if (value?.kind !== 'system') out.push(`server clientID wrote ${JSON.stringify(value)}`);
				continue;
			}
			const author = owner === undefined ? undefined : authors.get(owner);
			if (!author || !checkClientMessage(value, author, null).ok) out.push(`message ${JSON.stringify(value)?.slice(0, 120)} by clientID owned by ${owner}`);
		}
	}
	for (const id of seen) if (!now.has(id)) out.push(`message ${id} disappeared`);
	for (const id of now) seen.add(id);
	return out;
}
