import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_ENDED } from '../../src/lib/core/close-codes';
import { startCustomerChat } from '../helpers/api';
import { availableAgent } from '../helpers/conference';
import { CLUSTER_READY, pausableBus, sayWhyClusterIsSkipped, startCluster } from '../helpers/cluster';
import { eventually } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// B5 (issue 13), a Redis outage as instance C sees it: nothing published reaches it, neither rows
// nor socket actions. Leaving and ending decided on A still reach C's sockets, from the rows its
// periodic check reads (server/sync/remote-access.ts), within one check.
sayWhyClusterIsSkipped();

describe.skipIf(!CLUSTER_READY)('[B5] socket actions during a Redis outage', () => {
	let cluster: Awaited<ReturnType<typeof startCluster>>;
	let lossy: Awaited<ReturnType<typeof pausableBus>>;
	beforeAll(async () => {
		cluster = await startCluster(1, { clusterCheckMs: 3_600_000 });
		lossy = await pausableBus(cluster.prefix, `${cluster.prefix}outage`);
		await cluster.add('C', lossy.bus, { clusterCheckMs: 300 });
		const { db, t } = cluster.servers[0].storage.facts;
		await db.update(t.users).set({ capacity: 50 });
	});
	afterAll(async () => {
		await cluster?.stop();
		await lossy?.bus.close();
	});

	it('[B5 outage] leaving on A closes the leaver’s sockets on C (chat and huddle); ending on A makes C’s sockets read-only', async () => {
		const [a, c] = cluster.servers;
		const ada = await availableAgent(a, 'ada@parley.test');
		const customer = await startCustomerChat(a, 'Billing');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		const linus = await availableAgent(a, 'linus@parley.test');
		const asked = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus' });
		expect((await linus.call('POST', `/api/conference-requests/${asked.body.requestId}/accept`)).status).toBe(200);
		const name = `chat/${customer.chatId}`;
		const linusOnC = connectDoc(c.url, name, linus.sessionToken);
		const linusHuddleOnC = connectDoc(c.url, `${name}/agents`, linus.sessionToken);
		const adaOnC = connectDoc(c.url, name, ada.sessionToken);
		const customerOnC = connectDoc(c.url, name, customer.token);
		const all = [linusOnC, linusHuddleOnC, adaOnC, customerOnC];
		try {
			await Promise.all(all.map((x) => x.synced()));
			lossy.drop(); // from here C hears nothing from the bus

			expect((await linus.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
			await linusOnC.closedWith(ACCESS_ENDED);
			await linusHuddleOnC.closedWith(ACCESS_ENDED);
			for (const x of [linusOnC, linusHuddleOnC]) x.provider.disconnect(); // it would be refused anyway
			expect(adaOnC.closes).toEqual([]);
			expect(customerOnC.closes).toEqual([]);

			expect((await ada.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
			await eventually(() => expect(customerOnC.doc.getMap('meta').get('status')).toBe('ended'));
			await eventually(() => {
				const live = c.docs.loaded(name)!;
				expect([...live.peers].map((p) => p.mode)).toEqual(['read', 'read']);
			});
		} finally {
			lossy.keep();
			for (const x of all) x.destroy();
		}
	});
});
