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

	it('[#16 admin][B6] an admin makes a supervisor and turns an agent into one: no chat is routed to it any more (its offer goes), it watches its teams; and back', async () => {
		server = await perTest.boot();
		const admin = await signIn(server, 'admin@parley.test');
		const made = await admin.call('POST', '/api/admin/agents', {
			name: 'Sol Lead', email: 'sol@parley.test', password: 'a long password', skills: ['billing'], capacity: 2, configurationId: 'default', active: true, role: 'supervisor'
		});
		expect(made.status, made.raw).toBe(201);
		expect(made.body.agent).toMatchObject({ role: 'supervisor', skills: ['billing'] });
		const sol = await signIn(server, 'sol@parley.test', 'a long password');
		expect((await sol.call('GET', '/api/me')).body.user.role).toBe('supervisor');
		expect((await sol.call('GET', '/api/supervisor/chats')).status).toBe(200);
		expect((await admin.call('POST', '/api/admin/agents', { name: 'X', email: 'x@parley.test', password: 'a long password', skills: [], capacity: 1, configurationId: null, active: true, role: 'auditor' })).status).toBe(400);

		// Grace (billing) is offered a new chat; made a supervisor, the offer is withdrawn and nothing else comes to her.
		const grace = await signIn(server, 'grace@parley.test');
		expect((await grace.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
		const started = await new ApiClient(server.url).call('POST', '/api/chats', { name: 'Pat', email: 'pat@example.com', topic: 'billing' });
		expect(started.status).toBe(201);
		const offers = () => server.rows(sql`SELECT status FROM chat_offers WHERE agent_id = 'grace'`);
		expect(await offers()).toEqual([{ status: 'pending' }]);
		const changed = await admin.call('PUT', '/api/admin/agents/grace', { role: 'supervisor' });
		expect(changed.status, changed.raw).toBe(200);
		expect(changed.body.agent.role).toBe('supervisor');
		expect(await offers()).toEqual([{ status: 'withdrawn' }]);
		expect((await grace.call('GET', '/api/supervisor/chats')).body.chats.map((c: { id: string }) => c.id)).toContain(started.body.chatId);
		const team = (await admin.call('GET', '/api/admin/team')).body;
		expect(team.agents.filter((a: { role: string }) => a.role === 'supervisor').map((a: { id: string }) => a.id).sort()).toEqual(['grace', 'sam', made.body.agent.id].sort());

		// Back to agent: routed again (the waiting chat is offered to her).
		expect((await admin.call('PUT', '/api/admin/agents/grace', { role: 'agent' })).status).toBe(200);
		expect((await offers()).map((o: { status: string }) => o.status).sort()).toEqual(['pending', 'withdrawn']);
		const audit = await server.rows(sql`SELECT data FROM audit_events WHERE kind = 'agent.updated' ORDER BY id`);
		const data = (a: { data: unknown }) => (typeof a.data === 'string' ? JSON.parse(a.data) : a.data); // SQLite keeps JSON as text
		expect(audit.map((a: any) => [data(a).before.role, data(a).after.role])).toEqual([['agent', 'supervisor'], ['supervisor', 'agent']]);
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
