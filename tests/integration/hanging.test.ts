import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { serverPerTest } from '../helpers/per-test';
import { eventually, startTestServer } from '../helpers/server';
import { startTestSmtp } from '../helpers/smtp';
import { connectDoc } from '../helpers/yclient';

// B8 (issue 15 part 2): nobody left hanging — queue position and estimate, leaving a message when
// nobody can answer (emailed replies), the rating, and the transcript by email.

const t = serverPerTest();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const s of stops.splice(0)) await s();
});

/** A server whose queue job runs often, with a test SMTP server behind it. */
async function bootWithMail(giveUpMs = 120_000) {
	const smtp = await startTestSmtp({ refuse: (address) => address.startsWith('nobody@') });
	stops.push(smtp.stop);
	const server = await startTestServer({ queue: { refreshMs: 100, giveUpMs }, mail: { smtpUrl: smtp.url, from: 'Support <support@parley.test>' } });
	t.cleanup.push(() => server.stop());
	const open = (doc: string, token?: string) => {
		const c = connectDoc(server.url, doc, token);
		t.cleanup.push(c.destroy);
		return c;
	};
	return { server, smtp, open };
}

const queueOf = (c: { doc: { getMap(n: string): { get(k: string): unknown } } }) => c.doc.getMap('meta').get('queue') as any;

describe('[B8] queue position and estimated wait', () => {
	it('[B8 queue] each waiting customer sees its place among the chats of its skill, moving up live as chats are taken', async () => {
		const server = await t.boot();
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const first = await startCustomerChat(server, 'Billing', 'Pat', 'pat@example.com');
		const second = await startCustomerChat(server, 'Billing', 'Sam', 'sam@example.com');
		const tech = await startCustomerChat(server, 'Technical', 'Kim', 'kim@example.com');
		const docs = [first, second, tech].map((c) => t.open(`chat/${c.chatId}`, c.token));
		for (const d of docs) await d.synced();
		await eventually(() => expect(queueOf(docs[0])).toMatchObject({ position: 1, noAgent: null }));
		// The demo's history gives a median; one available agent: the second waits twice as long.
		const median = queueOf(docs[0]).etaMs;
		expect(queueOf(docs[1])).toEqual({ position: 2, etaMs: median === null ? null : median * 2, noAgent: null });
		expect(queueOf(docs[2])).toMatchObject({ position: 1, noAgent: null }); // another skill's queue

		expect((await ada.call('POST', `/api/chats/${first.chatId}/accept`)).status).toBe(200);
		// One accepted chat is a history: its wait is the median now, so the second gets an estimate.
		await eventually(() => {
			const q = queueOf(docs[1]);
			expect(q.position).toBe(1);
			expect(q.etaMs).toBeTypeOf('number');
			expect(q.etaMs).toBeGreaterThanOrEqual(0);
		});
	});

	it('[B8 none_online] with no agent of the topic available, the waiting customer is told nobody can answer', async () => {
		const server = await t.boot();
		const pat = await startCustomerChat(server, 'Billing');
		const doc = t.open(`chat/${pat.chatId}`, pat.token);
		await doc.synced();
		await eventually(() => expect(queueOf(doc)).toMatchObject({ position: 1, noAgent: 'none_online', etaMs: null }));
	});

	it('[B8 busy] past QUEUE_GIVE_UP_SECONDS without an agent, the customer may leave a message (the job notices)', async () => {
		const { server, open } = await bootWithMail(300);
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const pat = await startCustomerChat(server, 'Billing');
		const doc = open(`chat/${pat.chatId}`, pat.token);
		await doc.synced();
		await eventually(() => expect(queueOf(doc)?.noAgent).toBe('busy'));
	});

	it('[B8 closed] an admin sets a topic\'s business hours (bad ones refused); outside them the customer is told so', async () => {
		const { server, open } = await bootWithMail();
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const admin = await signIn(server, 'admin@parley.test');
		const path = '/api/admin/topics/billing/hours';
		for (const hours of [
			{ timeZone: 'Mars/Olympus', days: {} },
			{ timeZone: 'UTC', days: { mon: [['09:00', '25:00']] } },
			{ timeZone: 'UTC', days: { mon: [['17:00', '09:00']] } },
			{ timeZone: 'UTC', days: { someday: [['09:00', '17:00']] } },
			{ timeZone: 'UTC', days: {}, extra: 1 },
			'always'
		])
			expect((await admin.call('PUT', path, { hours })).status, JSON.stringify(hours)).toBe(400);
		expect((await ada.call('PUT', path, { hours: null })).status).toBe(403);
		expect((await admin.call('PUT', '/api/admin/topics/nope/hours', { hours: null })).status).toBe(404);
		expect((await server.row(sql`select hours from topics where id = 'billing'`)).hours).toBeNull();

		const pat = await startCustomerChat(server, 'Billing');
		const doc = open(`chat/${pat.chatId}`, pat.token);
		await doc.synced();
		await eventually(() => expect(queueOf(doc)?.noAgent).toBeNull());
		// Closed every day: the waiting customer is told at once.
		expect((await admin.call('PUT', path, { hours: { timeZone: 'Europe/Berlin', days: {} } })).status).toBe(200);
		await eventually(() => expect(queueOf(doc)?.noAgent).toBe('closed'));
		const { db, t: tables } = server.storage.facts;
		const [topic] = await db.select().from(tables.topics).where(eq(tables.topics.id, 'billing'));
		expect(topic.hours).toEqual({ timeZone: 'Europe/Berlin', days: {} });
		expect((await server.rows(sql`select kind from audit_events where kind = 'topic.hours_set'`)).length).toBe(1);
	});
});

describe('[B8] leaving a message', () => {
	it('[B8 message] worst inputs are refused and change nothing; a left message waits, an agent answers, the reply is emailed escaped', async () => {
		const { server, smtp, open } = await bootWithMail();
		// SMTP_URL is set: the public topics list says a left message's answer is emailed.
		expect((await new ApiClient(server.url).call('GET', '/api/topics')).body.replyByEmail).toBe(true);
		const pat = await startCustomerChat(server, 'Billing');
		const doc = open(`chat/${pat.chatId}`, pat.token);
		await doc.synced();
		const path = `/api/chats/${pat.chatId}/leave-message`;
		const bad = [
			{ email: 'pat@example.com\r\nBcc: victim@example.com', text: 'hi' },
			{ email: 'Pat <pat@example.com>', text: 'hi' },
			{ email: 'pat@example.com', text: '   \u200b ' },
			{ email: 'pat@example.com', text: 'bell\u0007' },
			{ email: 'pat@example.com', text: 'x'.repeat(4001) },
			{ email: 'pat@example.com' },
			'not json'
		];
		for (const body of bad) {
			const r = await pat.call('POST', path, body);
			expect(r.status, JSON.stringify(body)).toBe(400);
		}
		const other = await startCustomerChat(server, 'Billing', 'Eve', 'eve@example.com');
		expect((await other.call('POST', path, { email: 'eve@example.com', text: 'mine now' })).status).toBe(403);
		expect((await server.row(sql`select left_message_at from chats where id = ${pat.chatId}`)).left_message_at).toBeNull();

		// Two at once (a double click, two tabs): exactly one message is left.
		const both = await Promise.all([
			pat.call('POST', path, { email: 'Pat.Reply@Example.com', text: 'Please call me about invoice 42' }),
			pat.call('POST', path, { email: 'Pat.Reply@Example.com', text: 'Please call me about invoice 42' })
		]);
		expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
		const left = both.find((r) => r.status === 200)!;
		expect(left.body).toMatchObject({ ok: true, emailed: true });
		expect((await pat.call('POST', path, { email: 'pat@example.com', text: 'again' })).body.error.code).toBe('ALREADY_DONE');
		await eventually(() => {
			expect(doc.messages().map((m) => m.text)).toContain('Please call me about invoice 42');
			expect(doc.doc.getMap('meta').get('leftMessageAt')).toBeTypeOf('number');
			expect(queueOf(doc)?.noAgent).toBeNull();
		});

		// An agent comes online: the left message is offered like any waiting chat.
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		expect((await ada.call('POST', `/api/chats/${pat.chatId}/accept`)).status).toBe(200);
		const adaChat = open(`chat/${pat.chatId}`, ada.sessionToken);
		await adaChat.synced();
		adaChat.doc.getArray('messages').push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'Done: <script>alert(1)</script> & refunded', Date.now(), 'r1')]);

		const mail = await eventually(() => {
			expect(smtp.mails).toHaveLength(1);
			return smtp.mails[0];
		}, 10_000);
		expect(mail.to).toEqual(['pat.reply@example.com']);
		expect(mail.from).toBe('support@parley.test');
		expect(mail.decoded).toContain('Done: <script>alert(1)</script> & refunded'); // the plain-text part
		expect(mail.decoded).toContain('Done: &lt;script&gt;alert(1)&lt;/script&gt; &amp; refunded'); // the HTML part
		expect(mail.decoded).not.toMatch(/<blockquote[^>]*>Done: <script>/);
		expect(mail.decoded).toContain('Please call me about invoice 42'); // the transcript
		// Noted after it was sent (the SMTP server has it a moment before the note commits).
		await eventually(async () => {
			const audit = await server.rows(sql`select kind from audit_events where chat_id = ${pat.chatId} order by id`);
			expect(audit.map((a) => a.kind)).toEqual(expect.arrayContaining(['chat.message_left', 'chat.reply_mailed']));
		});
		// Sent once: the next runs find nothing new.
		await new Promise((r) => setTimeout(r, 400));
		expect(smtp.mails).toHaveLength(1);
	});

	it('[B8 message] a reply the SMTP server refuses for good (550) is noted once, not retried every run', async () => {
		const { server, smtp, open } = await bootWithMail();
		const pat = await startCustomerChat(server, 'Billing');
		expect((await pat.call('POST', `/api/chats/${pat.chatId}/leave-message`, { email: 'nobody@example.com', text: 'hello?' })).status).toBe(200);
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		await ada.call('POST', `/api/chats/${pat.chatId}/accept`);
		const adaChat = open(`chat/${pat.chatId}`, ada.sessionToken);
		await adaChat.synced();
		adaChat.doc.getArray('messages').push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'Here I am', Date.now(), 'r1')]);
		const kinds = async () => (await server.rows(sql`select kind from audit_events where chat_id = ${pat.chatId}`)).map((a) => a.kind);
		await eventually(async () => expect(await kinds()).toContain('chat.reply_mail_refused'), 10_000);
		await new Promise((r) => setTimeout(r, 400));
		expect((await kinds()).filter((k) => k === 'chat.reply_mail_refused')).toHaveLength(1);
		expect(smtp.mails).toEqual([]);
	});

	it('[B8 message] only while waiting: a live chat refuses it', async () => {
		const server = await t.boot();
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const pat = await startCustomerChat(server, 'Billing');
		await ada.call('POST', `/api/chats/${pat.chatId}/accept`);
		const r = await pat.call('POST', `/api/chats/${pat.chatId}/leave-message`, { email: 'pat@example.com', text: 'hi' });
		expect(r.status).toBe(409);
		expect(r.body.error.code).toBe('NOT_WAITING');
	});
});

describe('[B8] rating and transcript', () => {
	it('[B8 rating] once, after the end, 1–5 and a clean comment; stored, audited, and in the document for the agents', async () => {
		const server = await t.boot();
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const pat = await startCustomerChat(server, 'Billing');
		await ada.call('POST', `/api/chats/${pat.chatId}/accept`);
		const path = `/api/chats/${pat.chatId}/rating`;
		expect((await pat.call('POST', path, { score: 5 })).body.error.code).toBe('CHAT_NOT_ENDED');
		await pat.call('POST', `/api/chats/${pat.chatId}/end`);

		const bad = [{ score: 0 }, { score: 6 }, { score: 2.5 }, { score: '5' }, { score: null }, {}, { score: 5, comment: 'x'.repeat(1001) },
			{ score: 5, comment: 'ring\u0007' }, { score: 5, comment: 'evil \u202e txt' }, { score: 5, comment: 7 }, { score: 5, extra: 1 }];
		for (const body of bad) expect((await pat.call('POST', path, body)).status, JSON.stringify(body)).toBe(400);
		expect((await ada.call('POST', path, { score: 1 })).status).toBe(403);
		expect(await server.rows(sql`select * from chat_ratings`)).toEqual([]);

		const [r, twin] = await Promise.all([
			pat.call('POST', path, { score: 4, comment: '  Quick and kind  ' }),
			pat.call('POST', path, { score: 4, comment: '  Quick and kind  ' })
		]).then((rs) => rs.sort((a, b) => a.status - b.status));
		expect([r.status, twin.status]).toEqual([201, 409]);
		expect(r.body.rating).toMatchObject({ score: 4, comment: 'Quick and kind' });
		expect((await pat.call('POST', path, { score: 1 })).body.error.code).toBe('ALREADY_DONE');
		const adaDesk = t.open(`agent/${ada.user.id}`, ada.sessionToken);
		await adaDesk.synced();
		expect([...adaDesk.doc.getMap<any>('banners').values()]).toEqual([
			expect.objectContaining({ chatId: pat.chatId, kind: 'rated', text: 'Pat rated the chat 4 of 5: “Quick and kind”' })
		]);
		const adaChat = t.open(`chat/${pat.chatId}`, ada.sessionToken);
		await adaChat.synced();
		expect(adaChat.doc.getMap('meta').get('rating')).toMatchObject({ score: 4, comment: 'Quick and kind' });
		const [event] = await server.rows(sql`select data from audit_events where kind = 'chat.rated'`);
		expect(typeof event.data === 'string' ? JSON.parse(event.data) : event.data).toEqual({ score: 4, comment: 'Quick and kind' });
	});

	it('[B8 transcript] by email only with SMTP configured, to the customer, at most three times a chat', async () => {
		const plain = await t.boot();
		const pat0 = await startCustomerChat(plain, 'Billing');
		expect((await pat0.call('POST', `/api/chats/${pat0.chatId}/transcript-email`)).body.error.code).toBe('EMAIL_OFF');

		const { server, smtp } = await bootWithMail();
		const pat = await startCustomerChat(server, 'Billing', 'Pat', 'pat@example.com');
		const path = `/api/chats/${pat.chatId}/transcript-email`;
		const first = await pat.call('POST', path);
		expect(first.status).toBe(200);
		expect(first.body.to).toBe('p•••@example.com');
		await eventually(() => expect(smtp.mails).toHaveLength(1));
		expect(smtp.mails[0].to).toEqual(['pat@example.com']);
		expect(smtp.mails[0].decoded).toContain('Pat started a chat about Billing');
		await pat.call('POST', path);
		await pat.call('POST', path);
		const fourth = await pat.call('POST', path);
		expect(fourth.status).toBe(429);
		expect(fourth.body.error.code).toBe('TOO_MANY_EMAILS');
	});
});
