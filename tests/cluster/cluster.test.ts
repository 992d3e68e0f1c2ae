import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { availableAgent } from '../helpers/conference';
import { addAgents } from '../helpers/conference';
import { startCustomerChat, signIn } from '../helpers/api';
import { CLUSTER_READY, sayWhyClusterIsSkipped, startCluster } from '../helpers/cluster';
import { eventually } from '../helpers/server';
import { ACCESS_ENDED } from '../../src/lib/core/close-codes';
import { connectDoc } from '../helpers/yclient';

// B5 (issue 13): three real instances on one PostgreSQL database and one Redis. No sticky
// sessions: each person talks to whichever instance the test picks, as a load balancer would.
sayWhyClusterIsSkipped();

describe.skipIf(!CLUSTER_READY)('[B5] a cluster of three instances', () => {
	let cluster: Awaited<ReturnType<typeof startCluster>>;
	const cleanup: (() => void)[] = [];
	beforeAll(async () => {
		// No periodic check: only the bus can carry what one instance commits to the others in time.
		cluster = await startCluster(3, { clusterCheckMs: 3_600_000 });
		// Every test here has Ada take a chat: room for all of them.
		const { db, t } = cluster.servers[0].storage.facts;
		await db.update(t.users).set({ capacity: 50 });
	});
	afterAll(async () => {
		cleanup.splice(0).forEach((f) => f());
		await cluster?.stop();
	});
	const track = <T extends { destroy(): void }>(c: T) => (cleanup.push(() => c.destroy()), c);
	// Each test starts with every agent offline (the new chat is offered to whom it signs in).
	beforeEach(async () => {
		const { db, t } = cluster.servers[0].storage.facts;
		await db.update(t.users).set({ presence: 'offline' });
	});
	const texts = (c: ReturnType<typeof connectDoc>) => c.messages().map((m) => m.text);

	it('[B5 any instance] a customer on A, Ada on B and Grace on C chat in real time', async () => {
		const [a, b, c] = cluster.servers;
		const ada = await availableAgent(b, 'ada@parley.test');
		const adaDesk = track(connectDoc(b.url, 'agent/ada', ada.sessionToken));
		await adaDesk.synced();
		const customer = await startCustomerChat(a, 'Billing');
		// The offer was written by A's decision; it reaches Ada's desk on B through the bus.
		await eventually(() => expect([...adaDesk.doc.getMap<any>('offers').values()].map((o) => o.chatId)).toContain(customer.chatId));
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const grace = await availableAgent(c, 'grace@parley.test');
		const asked = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(asked.status).toBe(201);
		expect((await grace.call('POST', `/api/conference-requests/${asked.body.requestId}/accept`)).status).toBe(200);

		const onA = track(connectDoc(a.url, `chat/${customer.chatId}`, customer.token));
		const onB = track(connectDoc(b.url, `chat/${customer.chatId}`, ada.sessionToken));
		const onC = track(connectDoc(c.url, `chat/${customer.chatId}`, grace.sessionToken));
		await Promise.all([onA.synced(), onB.synced(), onC.synced()]);
		await eventually(() => expect(onA.doc.getMap<any>('participants').has('grace')).toBe(true));
		onA.doc.getArray('messages').push([newTextMessage(customer.customer, 'from A', Date.now(), 'ma')]);
		onB.doc.getArray('messages').push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'from B', Date.now(), 'mb')]);
		onC.doc.getArray('messages').push([newTextMessage({ id: 'grace', role: 'agent', name: 'Grace' }, 'from C', Date.now(), 'mc')]);
		for (const x of [onA, onB, onC]) await eventually(() => expect(texts(x)).toEqual(expect.arrayContaining(['from A', 'from B', 'from C'])));
		// One order everywhere (the log's), nobody refused.
		expect(texts(onB)).toEqual(texts(onA));
		expect(texts(onC)).toEqual(texts(onA));
		for (const x of [onA, onB, onC]) expect(x.closes).toEqual([]);
		const logged = await a.rows<{ n: number }>(
			(await import('drizzle-orm')).sql`SELECT COUNT(*)::int AS n FROM doc_updates WHERE doc = ${`chat/${customer.chatId}`}`
		);
		const seqs = await a.storage.log.readRange(`chat/${customer.chatId}`);
		expect(seqs.map((r) => r.seq)).toEqual(seqs.map((_, i) => i + 1));
		expect(logged[0].n).toBe(seqs.length);
	});

	it('[B5 C2] 20 agents on three instances accept one skill request at once: exactly one winner', async () => {
		const [a, b, c] = cluster.servers;
		const agents = await addAgents(a, 20, ['tech'], 'race');
		const owner = await availableAgent(b, 'ada@parley.test');
		const customer = await startCustomerChat(c, 'Billing');
		expect((await owner.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const sent = await owner.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { skill: 'tech' });
		expect(sent.status).toBe(201);
		const servers = [a, b, c];
		// Each agent's requests go to an instance of its own (its client's base URL).
		const onInstances = agents.map((agent, i) => Object.assign(Object.create(Object.getPrototypeOf(agent)), agent, { base: servers[i % 3].url }));
		const results = await Promise.all(onInstances.map((x) => x.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)));
		expect(results.filter((r) => r.status === 200)).toHaveLength(1);
		expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(19).fill('TAKEN'));
		const onA = track(connectDoc(a.url, `chat/${customer.chatId}`, customer.token));
		await onA.synced();
		const joined = texts(onA).filter((t) => / joined the chat$/.test(t) && t.startsWith('Race'));
		expect(joined).toHaveLength(1);
	});

	it('[B5 awareness] typing on A is seen on B and C; a client that leaves A is gone on B', async () => {
		const [a, b, c] = cluster.servers;
		const ada = await availableAgent(b, 'ada@parley.test');
		const customer = await startCustomerChat(a, 'Billing');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const onB = track(connectDoc(b.url, `chat/${customer.chatId}`, ada.sessionToken));
		await onB.synced();
		const onA = connectDoc(a.url, `chat/${customer.chatId}`, customer.token);
		await onA.synced();
		onA.provider.awareness.setLocalStateField('typing', true);
		const seenOnB = () => [...onB.provider.awareness.getStates().values()].find((s: any) => s.typing === true) as any;
		await eventually(() => expect(seenOnB()?.user).toMatchObject({ id: customer.customer.id, role: 'customer' }));
		// A document loaded later on C asks the others for what their clients announce.
		const onC = track(connectDoc(c.url, `chat/${customer.chatId}`, ada.sessionToken));
		await onC.synced();
		await eventually(() => expect([...onC.provider.awareness.getStates().values()].some((s: any) => s.typing === true)).toBe(true));
		onA.destroy();
		await eventually(() => expect(seenOnB()).toBeUndefined());
	});

	it('[B5 sockets] leaving on A closes the leaver’s socket on B; signing out on A closes its sockets on C', async () => {
		const [a, b, c] = cluster.servers;
		const ada = await availableAgent(a, 'ada@parley.test');
		const customer = await startCustomerChat(a, 'Billing');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const linus = await availableAgent(a, 'linus@parley.test');
		const asked = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus' });
		expect((await linus.call('POST', `/api/conference-requests/${asked.body.requestId}/accept`)).status).toBe(200);
		const linusOnB = track(connectDoc(b.url, `chat/${customer.chatId}`, linus.sessionToken));
		const adaOnB = track(connectDoc(b.url, `chat/${customer.chatId}`, ada.sessionToken));
		const adaDeskOnC = track(connectDoc(c.url, 'agent/ada', ada.sessionToken));
		await Promise.all([linusOnB.synced(), adaOnB.synced(), adaDeskOnC.synced()]);
		// The leave is decided on A; Linus's socket is on B.
		expect((await linus.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		await linusOnB.closedWith(ACCESS_ENDED);
		linusOnB.provider.disconnect(); // no reconnecting (it would be refused: Linus left)
		expect(adaOnB.closes).toEqual([]);
		// Ada signs out on A; her sockets on B and C close.
		expect((await ada.call('POST', '/api/auth/logout')).status).toBe(200);
		await adaOnB.closedWith(ACCESS_ENDED);
		await adaDeskOnC.closedWith(ACCESS_ENDED);
	});

	it('[B5 sockets] ending the chat on A makes the customer’s socket on B read-only', async () => {
		const [a, b] = cluster.servers;
		const ada = await availableAgent(a, 'ada@parley.test');
		const customer = await startCustomerChat(a, 'Billing');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const onB = track(connectDoc(b.url, `chat/${customer.chatId}`, customer.token));
		await onB.synced();
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		await eventually(() => expect(onB.doc.getMap('meta').get('status')).toBe('ended'));
		await eventually(() => {
			const live = b.docs.loaded(`chat/${customer.chatId}`)!;
			expect([...live.peers].map((p) => p.mode)).toEqual(['read']);
		});
	});
});
