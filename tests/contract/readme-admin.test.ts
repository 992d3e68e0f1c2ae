import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectError, expectKeys, expectMs, login } from './readme';

// README "API" rows of the admin console and canned replies ("The agent's day": Admin console,
// Canned replies): exact answers and who is refused. Effects and input checks are in
// tests/integration/admin-team.test.ts, canned-replies.test.ts and agents-day.test.ts.

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

const CONFIGURATION = ['id', 'name', 'conferenceEnabled', 'requestTimeoutSec', 'agents'];
const AGENT = ['id', 'name', 'email', 'role', 'skills', 'capacity', 'configurationId', 'active'];

describe('[#16 admin] README "API": chat configurations, agents, topics', () => {
	it('[#16 admin] the configuration list and one configuration, for an admin and for an agent (canEdit false, a reason)', async () => {
		const admin = await login(server, 'admin@parley.test');
		const list = await admin.call('GET', '/api/admin/chat-configurations');
		expectKeys(list.body, ['configurations', 'agents', 'canEdit', 'reason']);
		expect({ canEdit: list.body.canEdit, reason: list.body.reason }).toEqual({ canEdit: true, reason: null });
		for (const c of list.body.configurations) expectKeys(c, CONFIGURATION);
		const def = list.body.configurations.find((c: any) => c.id === 'default');
		expect(def).toMatchObject({ name: 'Default', conferenceEnabled: true, requestTimeoutSec: 60 });
		for (const a of [...def.agents, ...list.body.agents]) expectKeys(a, ['id', 'name', 'email']);
		const one = await admin.call('GET', '/api/admin/chat-configurations/default');
		expect(one.body).toEqual({ configuration: def, canEdit: true, reason: null });
		expectError(await admin.call('GET', '/api/admin/chat-configurations/nope'), 404, 'NOT_FOUND');

		const ada = await login(server, 'ada@parley.test');
		const asAgent = await ada.call('GET', '/api/admin/chat-configurations');
		expect(asAgent.body.canEdit).toBe(false);
		expect(asAgent.body.reason).toBeTypeOf('string');
		expect((await ada.call('PUT', '/api/admin/chat-configurations/default', { requestTimeoutSec: 30 })).status).toBe(403);
		expect((await ada.call('POST', '/api/admin/chat-configurations', { name: 'Mine', conferenceEnabled: true, requestTimeoutSec: 30 })).status).toBe(403);
	});

	it('[#16 admin] create and update a configuration: {configuration} with no agents yet; agentIds assigns them', async () => {
		const admin = await login(server, 'admin@parley.test');
		const made = await admin.call('POST', '/api/admin/chat-configurations', { name: 'Evenings', conferenceEnabled: true, requestTimeoutSec: 3600 });
		expect(made.status).toBe(201);
		expectKeys(made.body, ['configuration']);
		expectKeys(made.body.configuration, CONFIGURATION);
		expect(made.body.configuration).toMatchObject({ name: 'Evenings', conferenceEnabled: true, requestTimeoutSec: 3600, agents: [] });
		expectError(await admin.call('POST', '/api/admin/chat-configurations', { name: 'Blink', conferenceEnabled: true, requestTimeoutSec: 9 }), 400, 'BAD_INPUT', 'requestTimeoutSec');
		const moved = await admin.call('PUT', `/api/admin/chat-configurations/${made.body.configuration.id}`, { agentIds: ['linus'] });
		expect(moved.status).toBe(200);
		expectKeys(moved.body, ['configuration']);
		expect(moved.body.configuration.agents).toEqual([{ id: 'linus', name: 'Linus', email: 'linus@parley.test' }]);
	});

	it('[#16 admin] GET /api/admin/team, agents and topics answer exactly the README fields; agents may not', async () => {
		const admin = await login(server, 'admin@parley.test');
		const team = await admin.call('GET', '/api/admin/team');
		expectKeys(team.body, ['agents', 'topics', 'skills', 'configurations']);
		for (const a of team.body.agents) expectKeys(a, [...AGENT, 'presence']);
		for (const t of team.body.topics) expectKeys(t, ['id', 'name', 'skill', 'routing', 'hours']);
		for (const c of team.body.configurations) expectKeys(c, ['id', 'name']);
		expect(team.body.skills).toEqual(['billing', 'tech']);

		const added = await admin.call('POST', '/api/admin/agents', { name: 'Nia Okafor', email: 'Nia@Parley.test', password: 'ten chars!', skills: ['tech'], capacity: 0, configurationId: null, active: true });
		expect(added.status).toBe(201);
		expectKeys(added.body, ['agent']);
		expectKeys(added.body.agent, AGENT);
		expect(added.body.agent).toMatchObject({ email: 'nia@parley.test', capacity: 0, configurationId: null });
		const edited = await admin.call('PUT', `/api/admin/agents/${added.body.agent.id}`, { capacity: 50 });
		expect(edited.status).toBe(200);
		expectKeys(edited.body.agent, AGENT);
		expectError(await admin.call('PUT', `/api/admin/agents/${added.body.agent.id}`, { password: 'a new password' }), 400, 'BAD_INPUT');

		const topic = await admin.call('POST', '/api/admin/topics', { name: 'Returns', skill: 'returns', routing: 'button' });
		expect(topic.status).toBe(201);
		expect(topic.body).toEqual({ topic: { id: expect.any(String), name: 'Returns', skill: 'returns', routing: 'button' } });
		const hours = { timeZone: 'Europe/Paris', days: { mon: [['09:00', '17:00']] } };
		const set = await admin.call('PUT', `/api/admin/topics/${topic.body.topic.id}/hours`, { hours });
		expect(set.body).toEqual({ topic: { id: topic.body.topic.id, hours } });
		// The update answers the same four fields as the creation (it used to hand back the stored row).
		const renamed = await admin.call('PUT', `/api/admin/topics/${topic.body.topic.id}`, { routing: 'omni' });
		expect(renamed.body).toEqual({ topic: { ...topic.body.topic, routing: 'omni' } });

		const ada = await login(server, 'ada@parley.test');
		for (const [method, path, body] of [
			['GET', '/api/admin/team', undefined],
			['POST', '/api/admin/topics', { name: 'Mine', skill: 'mine', routing: 'omni' }],
			['PUT', '/api/admin/agents/ada', { capacity: 50 }]
		] as const)
			expect((await ada.call(method, path, body)).status, `${method} ${path}`).toBe(403);
	});
});

describe('[#16 canned] README "API": canned replies', () => {
	it('[#16 canned] {reply: {id, scope, title, body, updatedAt}}; listed by title; delete answers {deleted: id}', async () => {
		const admin = await login(server, 'admin@parley.test');
		const ada = await login(server, 'ada@parley.test');
		const team = await admin.call('POST', '/api/canned-replies', { scope: 'team', title: 'Greeting', body: 'Hi {customer}!' });
		expect(team.status).toBe(201);
		expectKeys(team.body, ['reply']);
		expectKeys(team.body.reply, ['id', 'scope', 'title', 'body', 'updatedAt']);
		expectMs(team.body.reply.updatedAt);
		const mine = await ada.call('POST', '/api/canned-replies', { scope: 'personal', title: 'Apology', body: 'Sorry for the wait.' });
		const late = await ada.call('POST', '/api/canned-replies', { scope: 'personal', title: 'Wrap-up', body: 'Anything else?' });
		const list = await ada.call('GET', '/api/canned-replies');
		expectKeys(list.body, ['replies']);
		expect(list.body.replies.map((r: any) => `${r.scope}:${r.title}`)).toEqual(['personal:Apology', 'team:Greeting', 'personal:Wrap-up']);
		const updated = await ada.call('PUT', `/api/canned-replies/${mine.body.reply.id}`, { body: 'Sorry!' });
		expect(updated.body).toEqual({ reply: { ...mine.body.reply, body: 'Sorry!', updatedAt: expect.any(Number) } });
		expect(await ada.call('DELETE', `/api/canned-replies/${late.body.reply.id}`)).toMatchObject({ status: 200, body: { deleted: late.body.reply.id } });
	});

	it('[#16 canned][B6] a supervisor (who works in the chats it joins like an agent) lists replies and keeps personal ones', async () => {
		const admin = await login(server, 'admin@parley.test');
		const sam = await login(server, 'sam@parley.test');
		await admin.call('POST', '/api/canned-replies', { scope: 'team', title: 'Greeting', body: 'Hi {customer}!' });
		const mine = await sam.call('POST', '/api/canned-replies', { scope: 'personal', title: 'escalation', body: 'I am looking into it myself.' });
		expect(mine.status).toBe(201);
		const list = await sam.call('GET', '/api/canned-replies');
		expect(list.status).toBe(200);
		expect(list.body.replies.map((r: any) => `${r.scope}:${r.title}`)).toEqual(['personal:escalation', 'team:Greeting']);
		expect((await sam.call('POST', '/api/canned-replies', { scope: 'team', title: 'T', body: 'b' })).status).toBe(403);
	});

	it('[#16 canned] "by title" is one order on either store: case and accents do not put `Banana` before `apple`', async () => {
		const ada = await login(server, 'ada@parley.test');
		for (const title of ['zebra', 'Banana', 'Äpfel', 'apple']) expect((await ada.call('POST', '/api/canned-replies', { scope: 'personal', title, body: 'x' })).status).toBe(201);
		const titles = (await ada.call('GET', '/api/canned-replies')).body.replies.map((r: any) => r.title);
		expect(titles).toEqual(['Äpfel', 'apple', 'Banana', 'zebra']);
	});

	it('[#16 canned] the other scope is 403: an agent writing `team`, an admin writing `personal`, an agent editing a team reply', async () => {
		const admin = await login(server, 'admin@parley.test');
		const ada = await login(server, 'ada@parley.test');
		expect((await ada.call('POST', '/api/canned-replies', { scope: 'team', title: 'T', body: 'b' })).status).toBe(403);
		expect((await admin.call('POST', '/api/canned-replies', { scope: 'personal', title: 'P', body: 'b' })).status).toBe(403);
		const team = await admin.call('POST', '/api/canned-replies', { scope: 'team', title: 'T', body: 'b' });
		expect((await ada.call('PUT', `/api/canned-replies/${team.body.reply.id}`, { title: 'Mine now' })).status).toBe(403);
		expect((await ada.call('DELETE', `/api/canned-replies/${team.body.reply.id}`)).status).toBe(403);
	});
});
