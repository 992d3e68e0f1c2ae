import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ApiClient, signIn } from '../helpers/api';
import { chatWith } from '../helpers/conference';
import { type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

// Issue 16, "admin": configurations, agents, skills and topics — validated on the server,
// audited, effective at once (refusals by role: tests/security/access-matrix.test.ts).

const perTest = serverPerTest();
let server: TestServer;

describe('issue 16: the admin console’s server side', () => {
	it('[#16 admin] a new configuration, a new agent on it, a new topic with a new skill: the agent signs in and the topic is offered to start chats', async () => {
		server = await perTest.boot();
		const admin = await signIn(server, 'admin@parley.test');
		const conf = await admin.call('POST', '/api/admin/chat-configurations', { name: 'Night shift', conferenceEnabled: false, requestTimeoutSec: 120 });
		expect(conf.status).toBe(201);
		const id = conf.body.configuration.id;
		expect((await admin.call('PUT', `/api/admin/chat-configurations/${id}`, { name: 'Nights' })).body.configuration).toMatchObject({ name: 'Nights', requestTimeoutSec: 120 });

		const agent = await admin.call('POST', '/api/admin/agents', {
			name: 'Nadia Night', email: ' Nadia@Parley.test ', password: 'a long password', skills: ['returns', 'billing', 'returns'], capacity: 2, configurationId: id, active: true
		});
		expect(agent.status).toBe(201);
		expect(agent.body.agent).toMatchObject({ email: 'nadia@parley.test', skills: ['billing', 'returns'], configurationId: id, active: true });
		const topic = await admin.call('POST', '/api/admin/topics', { name: 'Returns', skill: 'returns', routing: 'omni' });
		expect(topic.status).toBe(201);

		const nadia = await signIn(server, 'nadia@parley.test', 'a long password');
		expect((await nadia.call('GET', '/api/me')).body.user).toMatchObject({ name: 'Nadia Night', chatConfiguration: { name: 'Nights', conferenceEnabled: false } });
		expect((await new ApiClient(server.url).call('GET', '/api/topics')).body.topics.map((x: { name: string }) => x.name)).toContain('Returns');
		const team = (await admin.call('GET', '/api/admin/team')).body;
		expect(team.skills).toEqual(['billing', 'returns', 'tech']);

		const audit = await server.rows(sql`SELECT kind FROM audit_events WHERE actor = 'admin' AND kind NOT LIKE 'auth.%' ORDER BY id`);
		expect(audit.map((a: { kind: string }) => a.kind)).toEqual(['configuration.created', 'configuration.updated', 'agent.created', 'topic.created']);
	});

	it('[#16 admin] deactivating ends the agent’s sessions and sign-in; refused while the agent is in a chat', async () => {
		server = await perTest.boot();
		const admin = await signIn(server, 'admin@parley.test');
		const { owner: ada } = await chatWith(server);
		const busy = await admin.call('PUT', '/api/admin/agents/ada', { active: false });
		expect(busy.status).toBe(409);
		expect(busy.body.error.code).toBe('AGENT_IN_CHATS');

		const grace = await signIn(server, 'grace@parley.test');
		expect((await admin.call('PUT', '/api/admin/agents/grace', { active: false })).status).toBe(200);
		expect((await grace.call('GET', '/api/me')).status).toBe(401);
		const again = await new ApiClient(server.url).call('POST', '/api/auth/login', { email: 'grace@parley.test', password: 'parley-demo' });
		expect(again.status).toBe(403);
		expect((await ada.call('GET', '/api/me')).status).toBe(200);
		expect((await admin.call('PUT', '/api/admin/agents/grace', { active: true })).status).toBe(200);
		await signIn(server, 'grace@parley.test');
	});

	it('[#16 admin] the worst input is refused with the field named, and changes nothing', async () => {
		server = await perTest.boot();
		const admin = await signIn(server, 'admin@parley.test');
		const before = await server.rows(sql`SELECT id, name, email, skills, capacity, chat_configuration_id, active FROM users ORDER BY id`);
		const good = { name: 'Ok Name', email: 'ok@parley.test', password: 'a long password', skills: [], capacity: 1, configurationId: null, active: true };
		const bad: [string, string, unknown][] = [
			['POST', '/api/admin/agents', { ...good, name: '\u202Eevil' }],
			['POST', '/api/admin/agents', { ...good, email: 'ada@parley.test' }],
			['POST', '/api/admin/agents', { ...good, email: 'not an email' }],
			['POST', '/api/admin/agents', { ...good, skills: ['Billing!'] }],
			['POST', '/api/admin/agents', { ...good, capacity: -1 }],
			['POST', '/api/admin/agents', { ...good, capacity: 1.5 }],
			['POST', '/api/admin/agents', { ...good, configurationId: 'nope' }],
			['POST', '/api/admin/agents', { ...good, password: 'short' }],
			['POST', '/api/admin/agents', { ...good, role: 'admin' }],
			['PUT', '/api/admin/agents/ada', { permissions: ['customize_application'] }],
			['PUT', '/api/admin/agents/ada', { email: 'grace@parley.test' }],
			['POST', '/api/admin/topics', { name: 'Billing', skill: 'billing', routing: 'omni' }],
			['POST', '/api/admin/topics', { name: 'X', skill: 'x', routing: 'broadcast' }],
			['POST', '/api/admin/chat-configurations', { name: 'Default', conferenceEnabled: true, requestTimeoutSec: 60 }],
			['POST', '/api/admin/chat-configurations', { name: 'Fast', conferenceEnabled: true, requestTimeoutSec: 1 }]
		];
		for (const [method, path, body] of bad) {
			const res = await admin.call(method, path, body);
			expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
			expect(res.body.error.message).toMatch(/^[\w.]+: /);
		}
		expect((await admin.call('PUT', '/api/admin/agents/admin', { capacity: 3 })).status).toBe(404);
		expect(await server.rows(sql`SELECT id, name, email, skills, capacity, chat_configuration_id, active FROM users ORDER BY id`)).toEqual(before);
		expect(await server.rows(sql`SELECT count(*) AS n FROM topics`)).toEqual([{ n: 2 }]);
	});
});
