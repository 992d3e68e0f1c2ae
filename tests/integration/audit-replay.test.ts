import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { signIn, startCustomerChat } from '../helpers/api';
import { availableAgent, chatWith } from '../helpers/conference';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

const perTest = serverPerTest();
let server: TestServer;
async function boot() {
	server = await perTest.boot();
}
const open = perTest.open;

/** How many updates `actor` has written to the document. */
const updatesBy = async (doc: string, actor: string) => (await server.rows(sql`SELECT seq FROM doc_updates WHERE doc = ${doc} AND actor = ${actor}`)).length;
/** Waits until `actor` has written `n` updates to the document (its message reached the log). */
const logged = (doc: string, actor: string, n = 1) => eventually(async () => expect(await updatesBy(doc, actor)).toBeGreaterThanOrEqual(n));

/** A finished conference: Pat and Ada talk, Grace is conferenced in, says hi, leaves; Ada ends. */
async function finishedConference() {
	const { owner: ada, customer } = await chatWith(server);
	const chatId = customer.chatId;
	const pat = open(`chat/${chatId}`, customer.token);
	await pat.synced();
	const patUpdates = await updatesBy(`chat/${chatId}`, customer.customer.id);
	pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'hello, my invoice is <b>wrong</b>', Date.now(), 'p1')]);
	await logged(`chat/${chatId}`, customer.customer.id, patUpdates + 1);
	const grace = await availableAgent(server, 'grace@parley.test');
	const sent = await ada.call('POST', `/api/chats/${chatId}/conference-requests`, { agentId: 'grace' });
	expect(sent.status).toBe(201);
	expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
	const graceDoc = open(`chat/${chatId}`, grace.sessionToken);
	await graceDoc.synced();
	graceDoc.doc.getArray('messages').push([newTextMessage({ id: 'grace', role: 'agent', name: 'Grace' }, 'Hi, Grace here', Date.now(), 'g1')]);
	await eventually(() => expect(pat.messages().map((m) => m.text)).toContain('Hi, Grace here'));
	expect((await grace.call('POST', `/api/chats/${chatId}/leave`)).status).toBe(200);
	expect((await ada.call('POST', `/api/chats/${chatId}/end`)).status).toBe(200);
	await eventually(() => expect(pat.doc.getMap('meta').get('status')).toBe('ended'));
	return { chatId, customer, ada, grace, pat };
}

const stepOf = (timeline: any[], kind: string, name: string) => timeline.find((e) => e.kind === kind && e.actor.name === name)?.seq as number;

describe('auditor replay on the real server (A1–A3)', () => {
	it('[A1][A2] the timeline mixes decisions and document changes in order, each with its actor', async () => {
		await boot();
		const { chatId } = await finishedConference();
		const auditor = await signIn(server, 'audit@parley.test');
		const res = await auditor.call('GET', `/api/audit/chats/${chatId}/timeline`);
		expect(res.status).toBe(200);
		expect(res.body.chat).toMatchObject({ id: chatId, topic: 'Billing', customerName: 'Pat', customerEmail: 'pat@example.com', status: 'ended' });
		const timeline: any[] = res.body.timeline;
		expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
		expect(timeline.map((e) => e.at)).toEqual([...timeline.map((e) => e.at)].sort((a, b) => a - b));
		const doc = `chat/${chatId}`;
		expect(timeline.map((e) => [e.kind, e.actor.name, e.via, e.doc])).toEqual([
			['chat.started', 'Pat', null, null],
			['participant.joined', 'Pat', 'server', doc],
			// B8: the server writes the waiting customer's queue position into `meta.queue`.
			['meta', 'Parley', 'server', doc],
			['chat.accepted', 'Ada', null, null],
			['participant.joined', 'Ada', 'server', doc],
			['message', 'Pat', 'client', doc],
			['conference.requested', 'Ada', null, null],
			['conference.accepted', 'Grace', null, null],
			['participant.joined', 'Grace', 'server', doc],
			['message', 'Grace', 'client', doc],
			['chat.left', 'Grace', null, null],
			['participant.left', 'Grace', 'server', doc],
			['chat.ended', 'Ada', null, null],
			['status', 'Ada', 'server', doc]
		]);
		expect(timeline[5].summary).toBe('Pat: message “hello, my invoice is <b>wrong</b>”');
		expect(timeline[5].refs).toEqual({ messages: ['p1'] });
		expect(timeline[8].summary).toBe('server: participant Grace joined; notice “Grace joined the chat”');
		expect(timeline[7].summary).toBe("Grace accepted Ada's conference request");
		// Every update of the chat's documents is in the timeline exactly once (A1).
		const logged = await server.rows<{ doc: string; seq: number }>(sql`SELECT doc, seq FROM doc_updates WHERE doc LIKE ${`chat/${chatId}%`} ORDER BY doc, seq`);
		expect(timeline.filter((e) => e.doc).map((e) => `${e.doc}#${e.docSeq}`).sort()).toEqual(logged.map((r) => `${r.doc}#${r.seq}`).sort());
	});

	it('[A2] the state at each step is the chat as it was: Grace appears at her join and is gone at her leave', async () => {
		await boot();
		const { chatId, pat } = await finishedConference();
		const auditor = await signIn(server, 'audit@parley.test');
		const state = async (at: string | number) => {
			const res = await auditor.call('GET', `/api/audit/chats/${chatId}/state?at=${encodeURIComponent(String(at))}`);
			expect(res.status, res.raw).toBe(200);
			return res.body;
		};
		// Before the timeline is built, states come from stored checkpoints + tails through Yjs;
		// after it, from the in-memory replay index. Both give the same documents at every step.
		const steps = (await state('')).moment.of;
		const cold = [];
		for (let k = 0; k <= steps; k++) cold.push((await state(k)).documents);
		const timeline: any[] = (await auditor.call('GET', `/api/audit/chats/${chatId}/timeline`)).body.timeline;
		for (let k = 0; k <= steps; k++) expect((await state(k)).documents, `step ${k}`).toEqual(cold[k]);
		const doc = `chat/${chatId}`;
		const joined = timeline.find((e) => e.kind === 'participant.joined' && e.refs?.participants?.includes('grace')).seq;
		const left = timeline.find((e) => e.kind === 'participant.left').seq;

		const before = await state(joined - 1);
		expect(before.documents[doc].participants.grace).toBeUndefined();
		expect(before.requests).toEqual([expect.objectContaining({ target: 'Grace', status: 'accepted' })]);
		const at = await state(joined);
		expect(at.moment).toEqual({ step: joined, of: timeline.length, time: timeline[joined - 1].at });
		expect(at.documents[doc].participants.grace).toMatchObject({ name: 'Grace', role: 'agent' });
		expect(at.documents[doc].participants.grace.leftAt).toBeUndefined();
		expect(at.documents[doc].messages.at(-1).text).toBe('Grace joined the chat');
		expect((await state(left - 1)).documents[doc].participants.grace.leftAt).toBeUndefined();
		expect((await state(left)).documents[doc].participants.grace.leftAt).toEqual(expect.any(Number));
		expect(at.events.map((e: any) => e.kind)).toEqual(['chat.started', 'chat.accepted', 'conference.requested', 'conference.accepted']);

		// Nothing before the first step; the latest state is exactly what the customer's client holds.
		const empty = await state(0);
		expect(empty.documents[doc]).toEqual({ seq: 0, messages: [], participants: {}, meta: {} });
		expect(empty.documents[`${doc}/agents`]).toEqual({ seq: 0, whispers: [], draft: '' });
		const latest = await state('');
		expect(latest.moment.step).toBe(timeline.length);
		expect(latest.documents[doc]).toEqual({
			seq: expect.any(Number),
			messages: pat.doc.getArray('messages').toJSON(),
			participants: pat.doc.getMap('participants').toJSON(),
			meta: pat.doc.getMap('meta').toJSON()
		});

		// An ISO time selects the last step at or before it.
		const t = new Date(timeline[joined - 1].at).toISOString();
		expect((await state(t)).moment.step).toBeGreaterThanOrEqual(joined);
		expect((await state('2000-01-01T00:00:00Z')).moment.step).toBe(0);
	});

	it('[A2] a bad moment or an unknown chat is a clear error', async () => {
		await boot();
		const { chatId } = await finishedConference();
		const auditor = await signIn(server, 'audit@parley.test');
		const bad = await auditor.call('GET', `/api/audit/chats/${chatId}/state?at=yesterday`);
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^at: /);
		const far = await auditor.call('GET', `/api/audit/chats/${chatId}/state?at=9999`);
		expect(far.status).toBe(400);
		expect(far.body.error.message).toMatch(/this timeline has \d+ steps/);
		expect((await auditor.call('GET', '/api/audit/chats/nope/state')).status).toBe(404);
		expect((await auditor.call('GET', '/api/audit/chats/nope/timeline')).status).toBe(404);
		const fmt = await auditor.call('GET', `/api/audit/chats/${chatId}/export?format=pdf`);
		expect(fmt.status).toBe(400);
		expect(fmt.body.error.message).toMatch(/^format: /);
	});

	it('[A3] the JSON export carries the state and a SHA-256 of the log range anyone can recompute', async () => {
		await boot();
		const { chatId } = await finishedConference();
		const auditor = await signIn(server, 'audit@parley.test');
		const timeline: any[] = (await auditor.call('GET', `/api/audit/chats/${chatId}/timeline`)).body.timeline;
		const step = timeline.find((e) => e.kind === 'message' && e.actor.name === 'Grace').seq;
		const res = await auditor.call('GET', `/api/audit/chats/${chatId}/export?at=${step}&format=json`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toContain(`parley-chat-${chatId}-step-${step}.json`);
		const x = res.body;
		expect(x.format).toBe('parley.audit-transcript/1');
		expect(x.generatedBy).toMatchObject({ id: 'audit', role: 'auditor' });
		expect(x.moment.step).toBe(step);
		expect(x.timeline).toHaveLength(step);
		expect(x.documents[`chat/${chatId}`].messages.map((m: any) => m.text)).toContain('Hi, Grace here');

		// Recompute the checksum straight from doc_updates, following the documented framing.
		const hash = createHash('sha256');
		for (const range of x.log.ranges) {
			const updates = await server.rows<{ u: Uint8Array }>(
				sql`SELECT "update" AS u FROM doc_updates WHERE doc = ${range.doc} AND seq BETWEEN ${range.fromSeq} AND ${range.toSeq} ORDER BY seq`
			);
			const bytes = updates.reduce((n, r) => n + r.u.length, 0);
			expect(range).toMatchObject({ updates: updates.length, bytes });
			hash.update(`${range.doc} ${range.fromSeq} ${range.toSeq} ${bytes}\n`);
			for (const r of updates) {
				const len = Buffer.alloc(4);
				len.writeUInt32BE(r.u.length);
				hash.update(len);
				hash.update(r.u);
			}
		}
		expect(x.log.checksum).toBe(hash.digest('hex'));
		expect(x.log.ranges.map((r: any) => r.doc)).toEqual([`chat/${chatId}`, `chat/${chatId}/agents`]);
		expect(x.log.ranges[0].toSeq).toBe(x.documents[`chat/${chatId}`].seq);
		// Another moment is another range, so another checksum.
		const earlier = await auditor.call('GET', `/api/audit/chats/${chatId}/export?at=${step - 2}`);
		expect(earlier.body.log.checksum).not.toBe(x.log.checksum);
	});

	it('[A3] the HTML export is a printable page without scripts, escaped, with the checksum', async () => {
		await boot();
		const { chatId } = await finishedConference();
		const auditor = await signIn(server, 'audit@parley.test');
		const json = await auditor.call('GET', `/api/audit/chats/${chatId}/export?format=json`);
		const res = await fetch(`${server.url}/api/audit/chats/${chatId}/export?format=html`, {
			headers: { cookie: `parley_session=${auditor.sessionToken}` }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
		const html = await res.text();
		expect(html).toContain('hello, my invoice is &lt;b&gt;wrong&lt;/b&gt;');
		expect(html).not.toContain('<b>wrong</b>');
		expect(html).not.toMatch(/<script/i);
		expect(html).toContain(json.body.log.checksum);
		expect(html).toContain('Grace left the chat');
	});

	it('[A1] configuration changes made while the chat was open, to its agents\' configuration, are in its timeline', async () => {
		await boot();
		const { owner, customer } = await chatWith(server);
		const admin = await signIn(server, 'admin@parley.test');
		expect((await admin.call('PUT', '/api/admin/chat-configurations/default', { requestTimeoutSec: 30 })).status).toBe(200);
		expect((await admin.call('PUT', '/api/admin/chat-configurations/restricted', { requestTimeoutSec: 45 })).status).toBe(200);
		expect((await owner.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expect((await admin.call('PUT', '/api/admin/chat-configurations/default', { requestTimeoutSec: 90 })).status).toBe(200);
		const auditor = await signIn(server, 'audit@parley.test');
		const timeline: any[] = (await auditor.call('GET', `/api/audit/chats/${customer.chatId}/timeline`)).body.timeline;
		const configs = timeline.filter((e) => e.kind === 'configuration.updated');
		expect(configs).toHaveLength(1);
		expect(configs[0]).toMatchObject({ actor: { id: 'admin', name: 'Admin' }, doc: null, summary: 'Admin changed chat configuration Default: request timeout 30 s' });
		expect(stepOf(timeline, 'configuration.updated', 'Admin')).toBeLessThan(stepOf(timeline, 'chat.ended', 'Ada'));
	});

	it('[A2] chats are found by customer email, agent, topic and date', async () => {
		await boot();
		const { chatId } = await finishedConference();
		const linus = await availableAgent(server, 'linus@parley.test');
		const other = await startCustomerChat(server, 'Technical', 'Sam', 'sam@example.com');
		expect((await linus.call('POST', `/api/chats/${other.chatId}/accept`)).status).toBe(200);
		const auditor = await signIn(server, 'audit@parley.test');
		const find = async (q: string) => {
			const res = await auditor.call('GET', `/api/audit/chats${q}`);
			expect(res.status, res.raw).toBe(200);
			return (res.body.chats as any[]).map((c) => c.id);
		};
		// The demo's earlier chats are days old: today's filter leaves only this test's chats.
		const today = `from=${new Date().toISOString().slice(0, 10)}`;
		expect(await find(`?${today}`)).toEqual([other.chatId, chatId]);
		expect(await find('')).toEqual(expect.arrayContaining([other.chatId, chatId, 'seed-pat-billing']));
		expect(await find(`?email=PAT@&${today}`)).toEqual([chatId]);
		expect(await find(`?email=sam@`)).toEqual([other.chatId]);
		expect(await find(`?agent=grace&${today}`)).toEqual([chatId]);
		expect(await find(`?agent=Linus&${today}`)).toEqual([other.chatId]);
		expect(await find(`?topic=technical&${today}`)).toEqual([other.chatId]);
		expect(await find(`?topic=Billing&agent=ada@parley.test&${today}`)).toEqual([chatId]);
		expect(await find('?agent=grace&to=2000-01-01')).toEqual([]);
		expect(await find('?email=%25')).toEqual([]);
		const [hit] = (await auditor.call('GET', `/api/audit/chats?email=pat@example.com&${today}`)).body.chats;
		expect(hit).toMatchObject({ id: chatId, topic: 'Billing', customerName: 'Pat', status: 'ended', agents: [{ id: 'ada', name: 'Ada' }, { id: 'grace', name: 'Grace' }] });
		const bad = await auditor.call('GET', '/api/audit/chats?from=last-week');
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^from: /);
	});

	it('[A2][C13] each agent\'s workspace is shown as it was: a record removed later stays in the joiner\'s set', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const chatId = customer.chatId;
		expect((await ada.call('POST', `/api/chats/${chatId}/records`, { recordId: 'rec-contact-pat' })).status).toBe(201);
		const grace = await availableAgent(server, 'grace@parley.test');
		const sent = await ada.call('POST', `/api/chats/${chatId}/conference-requests`, { agentId: 'grace' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		expect((await ada.call('DELETE', `/api/chats/${chatId}/records/rec-contact-pat`)).status).toBe(200);
		const auditor = await signIn(server, 'audit@parley.test');
		const timeline: any[] = (await auditor.call('GET', `/api/audit/chats/${chatId}/timeline`)).body.timeline;
		expect(timeline.find((e) => e.kind === 'record.attached').summary).toBe('Ada attached record “Pat Example”');
		expect(timeline.find((e) => e.kind === 'record.removed').summary).toBe('Ada removed record “Pat Example”');
		const ws = async (step: number) => (await auditor.call('GET', `/api/audit/chats/${chatId}/state?at=${step}`)).body.workspaces;
		const simple = (w: any[]) => w.map((x) => [x.agentId, x.live, x.records.map((r: any) => r.id)]);
		const joined = timeline.find((e) => e.kind === 'participant.joined' && e.refs?.participants?.includes('grace')).seq;
		const removed = timeline.find((e) => e.kind === 'record.removed').seq;
		expect(simple(await ws(joined - 1))).toEqual([['ada', true, ['rec-contact-pat']]]);
		expect(simple(await ws(joined))).toEqual([['ada', true, ['rec-contact-pat']], ['grace', false, ['rec-contact-pat']]]);
		expect(simple(await ws(removed))).toEqual([['ada', true, []], ['grace', false, ['rec-contact-pat']]]);
		expect((await ws(removed))[1].records[0]).toEqual({ id: 'rec-contact-pat', type: 'contact', title: 'Pat Example' });
	});
});
