import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { availableAgent, chatWith } from '../helpers/conference';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

// Issue 16, "conference flow": an optional note with a request (on the offer card, with the
// customer's last message) and an optional reason with a decline (in the requester's banner),
// validated, stored and audited.

const perTest = serverPerTest();
let server: TestServer;
const open = perTest.open;

/** Ada's chat with Pat, who has said something; Linus available to be asked. */
async function chatWithWords() {
	server = await perTest.boot();
	const { owner: ada, customer } = await chatWith(server);
	const pat = open(`chat/${customer.chatId}`, customer.token);
	await pat.synced();
	pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'My router blinks red since the update', Date.now(), 'p1')]);
	await eventually(async () => {
		const [row] = await server.rows(sql`SELECT count(*) AS n FROM doc_updates WHERE doc = ${`chat/${customer.chatId}`} AND actor = ${customer.customer.id}`);
		expect(Number((row as { n: number }).n)).toBeGreaterThan(0);
	});
	const linus = await availableAgent(server, 'linus@parley.test');
	const linusDesk = open('agent/linus', linus.sessionToken);
	const adaDesk = open('agent/ada', ada.sessionToken);
	await Promise.all([linusDesk.synced(), adaDesk.synced()]);
	return { ada, linus, customer, linusDesk, adaDesk };
}

const offersOf = (desk: { doc: import('yjs').Doc }) => [...desk.doc.getMap<any>('offers').values()];
const bannersOf = (desk: { doc: import('yjs').Doc }) => [...desk.doc.getMap<any>('banners').values()];

describe('issue 16: conference note and decline reason', () => {
	it('[#16 conference] the note and the customer’s last message reach the offer card; the reason reaches the banner; both stored and audited', async () => {
		const { ada, linus, customer, linusDesk, adaDesk } = await chatWithWords();
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus', note: '  Router question, can you take it?  ' });
		expect(sent.status).toBe(201);
		const requestId = sent.body.requestId;
		await eventually(() =>
			expect(offersOf(linusDesk)).toEqual([
				expect.objectContaining({
					requestId,
					note: 'Router question, can you take it?',
					lastCustomerMessage: { text: 'My router blinks red since the update', at: expect.any(Number) }
				})
			])
		);

		const declined = await linus.call('POST', `/api/conference-requests/${requestId}/decline`, { reason: 'On a call for 10 minutes' });
		expect(declined.status).toBe(200);
		await eventually(() =>
			expect(bannersOf(adaDesk).map((b) => b.text)).toEqual(['Linus declined your conference request. Reason: “On a call for 10 minutes”'])
		);

		const [stored] = await server.rows(sql`SELECT r.note AS note, o.decline_reason AS reason FROM conference_requests r JOIN conference_offers o ON o.request_id = r.id WHERE r.id = ${requestId}`);
		expect(stored).toEqual({ note: 'Router question, can you take it?', reason: 'On a call for 10 minutes' });
		const audit = await server.rows(sql`SELECT kind, data FROM audit_events WHERE chat_id = ${customer.chatId} AND kind LIKE 'conference.%' ORDER BY id`);
		const data = audit.map((a: any) => ({ kind: a.kind, data: typeof a.data === 'string' ? JSON.parse(a.data) : a.data }));
		expect(data).toEqual([
			{ kind: 'conference.requested', data: expect.objectContaining({ note: 'Router question, can you take it?' }) },
			{ kind: 'conference.declined', data: expect.objectContaining({ reason: 'On a call for 10 minutes' }) }
		]);
	});

	it('[#16 conference] without a note or reason nothing is added; a blank one counts as none', async () => {
		const { ada, linus, customer, linusDesk, adaDesk } = await chatWithWords();
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus', note: ' \u200B ' });
		expect(sent.status).toBe(201);
		await eventually(() => expect(offersOf(linusDesk)).toHaveLength(1));
		expect(offersOf(linusDesk)[0].note).toBeUndefined();
		expect((await linus.call('POST', `/api/conference-requests/${sent.body.requestId}/decline`)).status).toBe(200);
		await eventually(() => expect(bannersOf(adaDesk).map((b) => b.text)).toEqual(['Linus declined your conference request.']));
	});

	it('[#16 conference] the worst notes and reasons are refused with the field named, and change nothing', async () => {
		const { ada, linus, customer, linusDesk } = await chatWithWords();
		const worst = ['x'.repeat(301), 'two\nlines', 'evil\u202Etxt', 'nul\u0000', 42, null, { a: 1 }];
		for (const note of worst) {
			const res = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus', note });
			expect(res.status, JSON.stringify(note)).toBe(400);
			expect(res.body.error).toMatchObject({ code: 'BAD_INPUT' });
			expect(res.body.error.message).toMatch(/^note: /);
		}
		const [none] = await server.rows(sql`SELECT count(*) AS n FROM conference_requests`);
		expect(Number((none as { n: number }).n)).toBe(0);

		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus' });
		await eventually(() => expect(offersOf(linusDesk)).toHaveLength(1));
		for (const reason of worst) {
			const res = await linus.call('POST', `/api/conference-requests/${sent.body.requestId}/decline`, { reason });
			expect(res.status, JSON.stringify(reason)).toBe(400);
			expect(res.body.error.message).toMatch(/^reason: /);
		}
		const extra = await linus.call('POST', `/api/conference-requests/${sent.body.requestId}/decline`, { reason: 'ok', why: 'x' });
		expect(extra.status).toBe(400);
		const [req] = await server.rows(sql`SELECT status FROM conference_requests WHERE id = ${sent.body.requestId}`);
		expect(req).toEqual({ status: 'pending' });
		expect(offersOf(linusDesk)).toHaveLength(1);
	});
});
