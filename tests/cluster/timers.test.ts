import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onceAcrossInstances, ourTurn } from '../../server/ops/exactly-once';
import { openPostgresStorage } from '../../server/storage/postgres/storage';
import { availableAgent } from '../helpers/conference';
import { startCustomerChat } from '../helpers/api';
import { CLUSTER_READY, sayWhyClusterIsSkipped, startCluster } from '../helpers/cluster';
import { eventually } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// B5 (issue 13), step 5: every instance's timers tick; each tick's work is done by one of them.
sayWhyClusterIsSkipped();

describe.skipIf(!CLUSTER_READY)('[B5] timers run once, whichever instances are up', () => {
	let t = Date.now();
	let cluster: Awaited<ReturnType<typeof startCluster>>;
	beforeAll(async () => {
		cluster = await startCluster(3, { now: () => t });
	});
	afterAll(async () => {
		await cluster?.stop();
	});

	it('[B5 timers] of instances asking for one job’s turn at once, exactly one gets it until its transaction ends', async () => {
		const stores = await Promise.all([1, 2, 3].map(() => openPostgresStorage(cluster.database.url)));
		try {
			let release!: () => void;
			const held = new Promise<void>((ok) => (release = ok));
			let first!: () => void;
			const firstHas = new Promise<void>((ok) => (first = ok));
			const holder = stores[0].transaction(async (tx) => {
				const mine = await ourTurn(tx, 'postgres', 'test-job');
				first();
				await held;
				return mine;
			});
			await firstHas;
			const others = await Promise.all(stores.slice(1).map((s) => onceAcrossInstances(s, 'test-job', async () => {})));
			release();
			expect([await holder, ...others]).toEqual([true, false, false]);
			// Once it ended, the next tick's turn is free again.
			expect(await onceAcrossInstances(stores[1], 'test-job', async () => {})).toBe(true);
		} finally {
			await Promise.all(stores.map((s) => s.close()));
		}
	});

	it('[B5 C15] 5 requests expiring at once on three instances: each expired once, one banner each', async () => {
		const [a, b, c] = cluster.servers;
		// Two requesters (Ada: three billing chats, Linus: two technical ones, their capacities), desks on C.
		const requesters = [await availableAgent(a, 'ada@parley.test'), await availableAgent(b, 'linus@parley.test')];
		const desks = requesters.map((r) => connectDoc(c.url, `agent/${r.user.id}`, r.sessionToken));
		await Promise.all(desks.map((d) => d.synced()));
		const chats: { requester: (typeof requesters)[number]; chatId: string }[] = [];
		for (let i = 0; i < 5; i++) {
			const requester = requesters[i % 2];
			const customer = await startCustomerChat([a, b, c][i % 3], i % 2 ? 'Technical' : 'Billing', `Pat ${i}`);
			const acc = await requester.call('POST', `/api/chats/${customer.chatId}/accept`);
			expect(acc.status, acc.raw).toBe(200);
			chats.push({ requester, chatId: customer.chatId });
		}
		// Margaret comes in only now (no chat was routed to her); each chat asks her to join.
		await availableAgent(b, 'margaret@parley.test');
		let deadline = 0;
		for (const { requester, chatId } of chats) {
			const sent = await requester.call('POST', `/api/chats/${chatId}/conference-requests`, { agentId: 'margaret' });
			expect(sent.status, sent.raw).toBe(201);
			deadline = Math.max(deadline, sent.body.expiresAt);
		}
		t = deadline; // every instance's sweep finds all five due at its next tick
		await eventually(async () => {
			const rows = await a.rows<{ n: number }>(sql`SELECT COUNT(*)::int AS n FROM conference_requests WHERE status = 'expired'`);
			expect(rows[0].n).toBe(5);
		}, 10_000);
		// A few more ticks on every instance: nothing more happens.
		await new Promise((ok) => setTimeout(ok, 1500));
		const audit = await a.rows<{ n: number }>(sql`SELECT COUNT(*)::int AS n FROM audit_events WHERE kind = 'conference.expired'`);
		expect(audit[0].n).toBe(5);
		const expired = () => desks.flatMap((d) => [...d.doc.getMap<any>('banners').values()].filter((x) => x.kind === 'expired'));
		await eventually(() => expect(expired()).toHaveLength(5));
		desks.forEach((d) => d.destroy());
	});
});
