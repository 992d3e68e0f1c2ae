import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signEmail } from '../../server/services/widgets/signature';
import { ApiClient, signIn } from '../helpers/api';
import { availableAgent } from '../helpers/conference';
import { returningCustomer } from '../helpers/history';
import { serverPerTest } from '../helpers/per-test';
import type { TestServer } from '../helpers/server';

// B7 and T4 on the real server: widgets as admins manage them, what an embedding site may read,
// where a widget chat may start, and what a site's signature proves.

const perTest = serverPerTest();
let server: TestServer;
const SHOP = 'https://shop.example';
const SETTINGS = { name: 'Shop', allowedOrigins: [SHOP, 'http://localhost:8080'], topics: ['billing'], greeting: 'Hello from the shop', colour: '#0A7' };

async function bootWithWidget() {
	server = await perTest.boot();
	const admin = await signIn(server, 'admin@parley.test');
	const res = await admin.call('POST', '/api/admin/widgets', SETTINGS);
	expect(res.status, res.raw).toBe(201);
	return { admin, widget: res.body.widget as { id: string; key: string; secret: string } };
}
const tables = async () => ({
	widgets: await server.rows(sql`SELECT * FROM widgets`),
	chats: await server.rows(sql`SELECT id FROM chats`),
	customers: await server.rows(sql`SELECT * FROM customers`)
});
const start = (key: string, body: Record<string, unknown>) =>
	new ApiClient(server.url).call('POST', `/api/widgets/${key}/chats`, { site: SHOP, topic: 'billing', ...body });

describe('[#15 B7] widgets', () => {
	it('[#15 B7] an admin creates, lists, updates and deletes a widget; the secret is shown once; each is audited', async () => {
		const { admin, widget } = await bootWithWidget();
		expect(widget).toMatchObject({ name: 'Shop', allowedOrigins: SETTINGS.allowedOrigins, topics: ['billing'], greeting: 'Hello from the shop', colour: '#0a7' });
		expect(widget.key).toMatch(/^pk_[a-z0-9]+$/);
		expect(widget.secret).toMatch(/^sk_[a-z0-9]{64}$/);
		const list = await admin.call('GET', '/api/admin/widgets');
		expect(list.body.widgets.map((w: any) => w.key)).toEqual([widget.key]);
		expect(list.raw).not.toContain(widget.secret);
		const upd = await admin.call('PUT', `/api/admin/widgets/${widget.id}`, { colour: '#123456', greeting: '' });
		expect(upd.body.widget).toMatchObject({ colour: '#123456', greeting: 'Hi! How can we help?', key: widget.key });
		expect(upd.raw).not.toContain(widget.secret);
		expect((await admin.call('DELETE', `/api/admin/widgets/${widget.id}`)).status).toBe(200);
		expect((await admin.call('GET', '/api/admin/widgets')).body.widgets).toEqual([]);
		expect((await new ApiClient(server.url).call('GET', `/api/widgets/${widget.key}`)).status).toBe(404);
		const events = await server.rows(sql`SELECT kind, data FROM audit_events WHERE kind LIKE 'widget.%' ORDER BY id`);
		expect(events.map((e: any) => e.kind)).toEqual(['widget.created', 'widget.updated', 'widget.deleted']);
		expect(JSON.stringify(events)).not.toContain(widget.secret);
	});

	it('[#15 B7] worst settings are refused with the field named, and nothing is stored', async () => {
		const { admin, widget } = await bootWithWidget();
		const before = await tables();
		const bad: [Record<string, unknown>, RegExp][] = [
			[{ ...SETTINGS, allowedOrigins: ['*'] }, /allowedOrigins\.0: .*exact origin/],
			[{ ...SETTINGS, allowedOrigins: ['https://shop.example/'] }, /allowedOrigins\.0/],
			[{ ...SETTINGS, allowedOrigins: ["https://a.example 'unsafe-inline'"] }, /allowedOrigins\.0/],
			[{ ...SETTINGS, allowedOrigins: ['https://a.example;script-src *'] }, /allowedOrigins\.0/],
			[{ ...SETTINGS, allowedOrigins: ['javascript:alert(1)'] }, /allowedOrigins\.0/],
			[{ ...SETTINGS, allowedOrigins: [] }, /allowedOrigins: name at least one/],
			[{ ...SETTINGS, allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) }, /allowedOrigins: at most 20/],
			[{ ...SETTINGS, topics: ['nope'] }, /topics: no such topic: nope/],
			[{ ...SETTINGS, topics: [] }, /topics: offer at least one/],
			[{ ...SETTINGS, colour: 'red;background:url(x)' }, /colour: a colour like/],
			[{ ...SETTINGS, name: '\u0000\u0007 ' }, /name: give the widget a name/],
			[{ ...SETTINGS, greeting: 'x'.repeat(281) }, /greeting: at most 280/],
			[{ ...SETTINGS, secret: 'mine' }, /Unrecognized key/]
		];
		for (const [body, message] of bad) {
			const res = await admin.call('POST', '/api/admin/widgets', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.error.message).toMatch(message);
			const upd = await admin.call('PUT', `/api/admin/widgets/${widget.id}`, body);
			expect(upd.status, JSON.stringify(body)).toBe(400);
		}
		expect(await tables()).toEqual(before);
	});

	it('[#15 B7] only admins manage widgets', async () => {
		const { widget } = await bootWithWidget();
		const agent = await signIn(server, 'grace@parley.test');
		for (const [method, path, body] of [
			['GET', '/api/admin/widgets'],
			['POST', '/api/admin/widgets', SETTINGS],
			['PUT', `/api/admin/widgets/${widget.id}`, { name: 'x' }],
			['DELETE', `/api/admin/widgets/${widget.id}`]
		] as const) {
			expect((await agent.call(method, path, body)).status).toBe(403);
			expect((await new ApiClient(server.url).call(method, path, body)).status).toBe(401);
		}
	});

	it('[#15 B7] the settings are readable from the widget’s own sites (CORS) and refused to any other site', async () => {
		const { widget } = await bootWithWidget();
		const anon = new ApiClient(server.url);
		const ok = await anon.call('GET', `/api/widgets/${widget.key}`, undefined, { origin: SHOP });
		expect(ok.status).toBe(200);
		expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
		expect(ok.body.widget).toEqual({
			key: widget.key, name: 'Shop', greeting: 'Hello from the shop', colour: '#0a7',
			topics: [{ id: 'billing', name: 'Billing' }], allowedOrigins: SETTINGS.allowedOrigins
		});
		expect(ok.raw).not.toContain(widget.secret);
		for (const origin of ['https://evil.example', 'https://shop.example.evil', 'http://shop.example', 'null']) {
			const res = await anon.call('GET', `/api/widgets/${widget.key}`, undefined, { origin });
			expect(res.status, origin).toBe(403);
			expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: `${origin} may not embed this widget` });
			expect(res.raw).not.toMatch(/greeting|colour|topics|allowedOrigins/);
		}
		expect((await anon.call('GET', `/api/widgets/pk_nope`)).status).toBe(404);
		expect((await anon.call('GET', `/api/widgets/${'x'.repeat(5000)}`)).status).toBe(404);
	});

	it('[#15 B7] a widget chat starts only for an allowed site and on the widget’s topics; the token works as a bearer', async () => {
		const { widget } = await bootWithWidget();
		const before = await tables();
		for (const site of ['https://evil.example', '', 'null', 'https://shop.example/'])
			expect((await start(widget.key, { site, name: 'Eve', email: 'eve@example.com' })).status, site).toBe(403);
		const wrongTopic = await start(widget.key, { name: 'Eve', email: 'eve@example.com', topic: 'technical' });
		expect(wrongTopic.status).toBe(400);
		expect(wrongTopic.body.error.message).toMatch(/topic: not offered/);
		expect((await start('pk_nope', { name: 'Eve', email: 'eve@example.com' })).status).toBe(404);
		expect(await tables()).toEqual(before);

		const ok = await start(widget.key, { name: 'Ann', email: 'ann@example.com' });
		expect(ok.status, ok.raw).toBe(201);
		expect(ok.body).toMatchObject({ signed: false, customer: { name: 'Ann', role: 'customer' } });
		expect(ok.headers.get('set-cookie')).toBeNull();
		const row = await server.row(sql`SELECT identity FROM chats WHERE id = ${ok.body.chatId}`);
		expect(row).toEqual({ identity: 'new' });
		const bearer = { authorization: `Bearer ${ok.body.token}` };
		const anon = new ApiClient(server.url);
		expect((await anon.call('GET', `/api/chats/${ok.body.chatId}`, undefined, bearer)).body.you).toMatchObject({ name: 'Ann' });
		expect((await anon.call('GET', `/api/chats/${ok.body.chatId}`, undefined, { authorization: 'Bearer nope' })).status).toBe(401);
		expect((await anon.call('POST', `/api/chats/${ok.body.chatId}/end`, undefined, bearer)).status).toBe(200);
	});

	it('[#15 B7 T4] a signed identity links the chat to the customer’s earlier chats; a bad signature is refused and creates nothing', async () => {
		const { widget } = await bootWithWidget();
		const sam = await returningCustomer(server);
		const before = await tables();
		const forged = [
			'0'.repeat(64),
			signEmail('sam@example.com', 'sk_wrong'),
			signEmail('other@example.com', widget.secret),
			signEmail('sam@example.com', widget.secret).slice(0, 63),
			signEmail('sam@example.com', widget.secret) + '00',
			'',
			'zz'.repeat(32)
		];
		for (const signature of forged) {
			const res = await start(widget.key, { identity: { email: 'sam@example.com', name: 'Sam Lee', signature } });
			expect(res.status, signature).toBe(400);
			expect(res.body.error.message).toMatch(/^signature: does not sign this email/);
		}
		expect(await tables()).toEqual(before);

		const agent = await availableAgent(server, 'grace@parley.test');
		const signed = await start(widget.key, {
			name: 'ignored', email: 'ignored@example.com',
			identity: { email: 'sam@example.com', name: 'Sam L.', signature: signEmail('sam@example.com', widget.secret) }
		});
		expect(signed.status, signed.raw).toBe(201);
		expect(signed.body).toMatchObject({ signed: true, customer: { name: 'Sam L.' } });
		expect(await server.row(sql`SELECT identity FROM chats WHERE id = ${signed.body.chatId}`)).toEqual({ identity: 'signed' });
		expect((await agent.call('POST', `/api/chats/${signed.body.chatId}/accept`)).status).toBe(200);
		const history = await agent.call('GET', `/api/chats/${signed.body.chatId}/history`);
		// Grace (billing) sees the Billing chat; the Technical one is withheld from her, not unlinked.
		expect(history.body).toMatchObject({ verified: true, identity: 'signed', withheld: 1, unverified: 0 });
		expect(history.body.chats.map((c: any) => c.id)).toEqual([sam.earlier.Billing]);
		const audit = await server.row(sql`SELECT data FROM audit_events WHERE kind = 'chat.started' AND chat_id = ${signed.body.chatId}`);
		expect(JSON.stringify(audit)).toContain(widget.id);
	});
});

describe('[#15 B7] a leaked secret', () => {
	it('[#15 B7] an admin rotates the secret: the old one stops proving identities at once, the new one works, the key stays; audited without a secret', async () => {
		const { admin, widget } = await bootWithWidget();
		const signed = (secret: string) => ({ identity: { email: 'sam@example.com', name: 'Sam Lee', signature: signEmail('sam@example.com', secret) } });
		const rotated = await admin.call('POST', `/api/admin/widgets/${widget.id}/secret`);
		expect(rotated.status, rotated.raw).toBe(200);
		const fresh = rotated.body.widget;
		expect(fresh).toMatchObject({ id: widget.id, key: widget.key, name: 'Shop' });
		expect(fresh.secret).toMatch(/^sk_[a-z0-9]{64}$/);
		expect(fresh.secret).not.toBe(widget.secret);
		const before = await tables();
		const old = await start(widget.key, signed(widget.secret));
		expect(old.status).toBe(400);
		expect(old.body.error.message).toMatch(/^signature: does not sign this email/);
		expect(await tables()).toEqual(before);
		expect((await start(widget.key, signed(fresh.secret))).status).toBe(201);
		// The list and the audit never carry a secret.
		expect((await admin.call('GET', '/api/admin/widgets')).raw).not.toContain(fresh.secret);
		const events = await server.rows(sql`SELECT data FROM audit_events WHERE kind = 'widget.secret_rotated'`);
		expect(events).toHaveLength(1);
		expect(JSON.stringify(events)).not.toContain(fresh.secret);
		expect(JSON.stringify(events)).not.toContain(widget.secret);
		// Not an admin's, or no such widget: refused, nothing changes.
		const grace = await signIn(server, 'grace@parley.test');
		expect((await grace.call('POST', `/api/admin/widgets/${widget.id}/secret`)).status).toBe(403);
		expect((await admin.call('POST', '/api/admin/widgets/nope/secret')).status).toBe(404);
		expect((await server.row<{ secret: string }>(sql`SELECT secret FROM widgets`))!.secret).toBe(fresh.secret);
	});
});

describe('[#15 B7] who may frame the widget page', () => {
	it('[#15 B7] /widget/<key> may be framed by the widget’s sites only; every other page by nobody', async () => {
		const { admin, widget } = await bootWithWidget();
		const csp = async (path: string) => (await fetch(server.url + path)).headers.get('content-security-policy') ?? '';
		const ancestors = (policy: string) => policy.match(/frame-ancestors [^;]*/)?.[0];
		expect(ancestors(await csp(`/widget/${widget.key}`))).toBe('frame-ancestors https://shop.example http://localhost:8080');
		for (const path of ['/chat', '/agent', '/widget/pk_nope', `/widget/${widget.key}x`, '/widget.js', `/api/widgets/${widget.key}`, '/widget/%E0%A4%A'])
			expect(ancestors(await csp(path)), path).toBe("frame-ancestors 'none'");
		await admin.call('PUT', `/api/admin/widgets/${widget.id}`, { allowedOrigins: ['https://other.example'] });
		expect(ancestors(await csp(`/widget/${widget.key}?x=1`))).toBe('frame-ancestors https://other.example');
	});
});
