import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signIn } from '../helpers/api';
import { type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

// Issue 16, "canned replies": team-wide ones an admin manages, personal ones an agent manages;
// validated, audited, seen by whom they are for, effective at once.

const perTest = serverPerTest();
let server: TestServer;

describe('issue 16: canned replies', () => {
	it('[#16 canned] an agent lists the team’s and their own, never another agent’s; an admin’s edit shows at once', async () => {
		server = await perTest.boot();
		const admin = await signIn(server, 'admin@parley.test');
		const ada = await signIn(server, 'ada@parley.test');
		const grace = await signIn(server, 'grace@parley.test');
		const team = await admin.call('POST', '/api/canned-replies', { scope: 'team', title: ' Greeting ', body: 'Hi {customer}, {agent} here.' });
		expect(team.status).toBe(201);
		expect(team.body.reply).toMatchObject({ scope: 'team', title: 'Greeting', body: 'Hi {customer}, {agent} here.', updatedAt: expect.any(Number) });
		const mine = await ada.call('POST', '/api/canned-replies', { scope: 'personal', title: 'Refund', body: 'Refunds take five days.' });
		expect(mine.status).toBe(201);

		const titles = async (c: typeof ada) => (await c.call('GET', '/api/canned-replies')).body.replies.map((r: { title: string; scope: string }) => `${r.scope}:${r.title}`);
		expect(await titles(ada)).toEqual(['team:Greeting', 'personal:Refund']);
		expect(await titles(grace)).toEqual(['team:Greeting']);
		expect(await titles(admin)).toEqual(['team:Greeting']);

		expect((await admin.call('PUT', `/api/canned-replies/${team.body.reply.id}`, { title: 'Hello' })).status).toBe(200);
		expect(await titles(grace)).toEqual(['team:Hello']);
		expect((await grace.call('PUT', `/api/canned-replies/${mine.body.reply.id}`, { body: 'x' })).status).toBe(404);
		expect((await ada.call('DELETE', `/api/canned-replies/${mine.body.reply.id}`)).status).toBe(200);
		expect(await titles(ada)).toEqual(['team:Hello']);

		const audit = await server.rows(sql`SELECT actor, kind FROM audit_events WHERE kind LIKE 'canned_reply.%' ORDER BY id`);
		expect(audit).toEqual([
			{ actor: 'admin', kind: 'canned_reply.created' },
			{ actor: 'ada', kind: 'canned_reply.created' },
			{ actor: 'admin', kind: 'canned_reply.updated' },
			{ actor: 'ada', kind: 'canned_reply.deleted' }
		]);
	});

	it('[#16 canned] the worst titles and bodies are refused with the field named, and change nothing', async () => {
		server = await perTest.boot();
		const ada = await signIn(server, 'ada@parley.test');
		const cases: [unknown, string][] = [
			[{ scope: 'personal', title: '', body: 'x' }, 'title'],
			[{ scope: 'personal', title: 'a\nb', body: 'x' }, 'title'],
			[{ scope: 'personal', title: 'x\u202Eevil', body: 'x' }, 'title'],
			[{ scope: 'personal', title: 't'.repeat(81), body: 'x' }, 'title'],
			[{ scope: 'personal', title: 'ok', body: '\u200B' }, 'body'],
			[{ scope: 'personal', title: 'ok', body: 'bell\u0007' }, 'body'],
			[{ scope: 'personal', title: 'ok', body: 'b'.repeat(4001) }, 'body'],
			[{ scope: 'personal', title: 'ok', body: 42 }, 'body'],
			[{ scope: 'everyone', title: 'ok', body: 'x' }, 'scope'],
			[{ scope: 'personal', title: 'ok', body: 'x', ownerId: 'grace' }, 'body']
		];
		for (const [body, field] of cases) {
			const res = await ada.call('POST', '/api/canned-replies', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.error.code).toBe('BAD_INPUT');
			expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
		}
		const created = await ada.call('POST', '/api/canned-replies', { scope: 'personal', title: 'ok', body: 'fine' });
		for (const body of [{}, { title: '' }, { body: 'x\u2066' }, { scope: 'team' }]) {
			const res = await ada.call('PUT', `/api/canned-replies/${created.body.reply.id}`, body);
			expect(res.status, JSON.stringify(body)).toBe(400);
		}
		const rows = await server.rows(sql`SELECT title, body FROM canned_replies`);
		expect(rows).toEqual([{ title: 'ok', body: 'fine' }]);
	});
});
