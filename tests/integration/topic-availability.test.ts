import { describe, expect, it } from 'vitest';
import { ApiClient, signIn } from '../helpers/api';
import { serverPerTest } from '../helpers/per-test';

// Issue 15: the public topics list says, per topic, why nobody could answer a chat started now, so
// the start form (the customer page and the widget) warns before the customer starts it.

const t = serverPerTest();
const noAgentOf = async (anon: ApiClient) =>
	Object.fromEntries((await anon.call('GET', '/api/topics')).body.topics.map((x: { id: string; noAgent: unknown }) => [x.id, x.noAgent]));

describe('[#15 B8] GET /api/topics: noAgent', () => {
	it('[#15 B8] none_online until an agent of the skill is available; closed outside the hours, whoever is online', async () => {
		const server = await t.boot();
		const anon = new ApiClient(server.url);
		expect(await noAgentOf(anon)).toEqual({ billing: 'none_online', technical: 'none_online' });
		// No SMTP_URL here: a left message's answer is not emailed, and the list says so.
		expect((await anon.call('GET', '/api/topics')).body.replyByEmail).toBe(false);

		const grace = await signIn(server, 'grace@parley.test'); // billing only
		expect((await grace.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
		expect(await noAgentOf(anon)).toEqual({ billing: null, technical: 'none_online' });
		await grace.call('PUT', '/api/agents/me/presence', { status: 'busy' });
		expect(await noAgentOf(anon)).toEqual({ billing: 'none_online', technical: 'none_online' });
		await grace.call('PUT', '/api/agents/me/presence', { status: 'available' });

		const admin = await signIn(server, 'admin@parley.test');
		expect((await admin.call('PUT', '/api/admin/topics/billing/hours', { hours: { timeZone: 'UTC', days: {} } })).status).toBe(200);
		expect(await noAgentOf(anon)).toEqual({ billing: 'closed', technical: 'none_online' });
		const always = { timeZone: 'UTC', days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) };
		expect((await admin.call('PUT', '/api/admin/topics/billing/hours', { hours: always })).status).toBe(200);
		expect(await noAgentOf(anon)).toEqual({ billing: null, technical: 'none_online' });
	});
});
