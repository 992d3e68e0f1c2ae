import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { MAX_DRAFT_TEXT, newWhisper } from '../../src/lib/core/whisper-policy';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';
import { conference } from '../helpers/huddle';
import { PNG, upload } from '../helpers/upload';

// B2, B3 on the real server: whispers and the shared draft in chat/<id>/agents, written by the
// agents in the chat only, in exactly the shapes the write policy allows.
const { boot, open } = serverPerTest();
let server: TestServer;

const ADA = { id: 'ada', role: 'agent' as const, name: 'Ada' };
const GRACE = { id: 'grace', role: 'agent' as const, name: 'Grace' };
const agentsDoc = (chatId: string) => `chat/${chatId}/agents`;
const serverJson = async (name: string) => JSON.stringify((await server.docs.get(name)).doc.toJSON());

async function huddle() {
	server = await boot();
	const c = await conference(server);
	const ada = open(agentsDoc(c.customer.chatId), c.ada.sessionToken);
	const grace = open(agentsDoc(c.customer.chatId), c.grace.sessionToken);
	await Promise.all([ada.synced(), grace.synced()]);
	return { ...c, adaDoc: ada, graceDoc: grace };
}

/** An agent's fresh client that makes `change` and must be refused (4400) with the server's document unchanged. */
async function refused(chatId: string, token: string | undefined, change: (doc: Y.Doc) => void) {
	const before = await serverJson(agentsDoc(chatId));
	const attacker = open(agentsDoc(chatId), token);
	await attacker.synced();
	change(attacker.doc);
	await attacker.closedWith(4400);
	expect(await serverJson(agentsDoc(chatId))).toBe(before);
}

describe('[#14 B2] whispers', () => {
	it('[#14 B2] an agent in the chat appends a whisper; the other agent gets it; the customer cannot open the document (4403)', async () => {
		const { customer, adaDoc, graceDoc } = await huddle();
		adaDoc.doc.getArray('whispers').push([newWhisper(ADA, 'refund looks fine @Grace', Date.now(), 'w1')]);
		await eventually(() => expect(graceDoc.doc.getArray<any>('whispers').toArray().map((w) => w.text)).toEqual(['refund looks fine @Grace']));
		const customerTry = open(agentsDoc(customer.chatId), customer.token);
		await customerTry.closedWith(4403);
		expect(customerTry.doc.getArray('whispers').length).toBe(0);
		// …and its own document never holds a whisper.
		const chat = open(`chat/${customer.chatId}`, customer.token);
		await chat.synced();
		expect(JSON.stringify(chat.doc.toJSON())).not.toContain('refund looks fine');
	});

	it('[#14 B2] a whisper signed as another agent is refused and changes nothing', async () => {
		const { customer, ada } = await huddle();
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').push([newWhisper(GRACE, 'not me', Date.now(), 'w2')]));
	});

	it('[#14 B2] a whisper in the shape of a message, with an extra field, or without visible text is refused', async () => {
		const { customer, ada } = await huddle();
		const bad: unknown[] = [
			newTextMessage(ADA, 'has kind', Date.now(), 'm1'),
			{ ...newWhisper(ADA, 'extra', Date.now(), 'w3'), private: true },
			newWhisper(ADA, '\u200b ', Date.now(), 'w4'),
			newWhisper(ADA, 'x'.repeat(4001), Date.now(), 'w5'),
			newWhisper(ADA, 'old', Date.now() - 3_600_000, 'w6')
		];
		for (const value of bad) await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').push([value]));
	});

	it('[#14 B2] deleting or inserting before a whisper, and writing other roots, are refused', async () => {
		const { customer, ada, adaDoc } = await huddle();
		adaDoc.doc.getArray('whispers').push([newWhisper(ADA, 'first', Date.now(), 'w1')]);
		await eventually(async () => expect(await serverJson(agentsDoc(customer.chatId))).toContain('first'));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').delete(0, 1));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').insert(0, [newWhisper(ADA, 'before', Date.now(), 'w2')]));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getMap('notes').set('x', 'y'));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('messages').push([newTextMessage(ADA, 'hi', Date.now(), 'm9')]));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').push([newWhisper(ADA, 'again', Date.now(), 'w1')]));
	});

	it('[#14 B2] an agent who is not in the chat cannot open the huddle (4403)', async () => {
		const { customer } = await huddle();
		const { signIn } = await import('../helpers/api');
		const linus = await signIn(server, 'linus@parley.test');
		await open(agentsDoc(customer.chatId), linus.sessionToken).closedWith(4403);
	});
});

describe('[#14 B2][B9] files in whispers', () => {
	it('[#14 B2] a whisper may carry its writer\'s agents-only upload; a file uploaded for the customer\'s document, or by another agent, is refused', async () => {
		const { customer, ada, grace, adaDoc } = await huddle();
		const secret = await upload(ada, customer.chatId, { name: 'note.png', bytes: PNG }, { agentsOnly: 'true' });
		const open_ = await upload(ada, customer.chatId, { name: 'public.png', bytes: PNG });
		const graces = await upload(grace, customer.chatId, { name: 'grace.png', bytes: PNG }, { agentsOnly: 'true' });
		expect([secret.status, open_.status, graces.status]).toEqual([201, 201, 201]);
		const withFile = (id: string, wid: string) => ({ ...newWhisper(ADA, 'see the file', Date.now(), wid), attachments: [id] });
		adaDoc.doc.getArray('whispers').push([withFile(secret.body.attachment.id, 'w1')]);
		await eventually(async () => expect(await serverJson(agentsDoc(customer.chatId))).toContain(secret.body.attachment.id));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').push([withFile(open_.body.attachment.id, 'w2')]));
		await refused(customer.chatId, ada.sessionToken, (doc) => doc.getArray('whispers').push([withFile(graces.body.attachment.id, 'w3')]));
		// The customer cannot upload for agents only.
		expect((await upload(customer, customer.chatId, { name: 'x.png', bytes: PNG }, { agentsOnly: 'true' })).status).toBe(403);
	});
});

describe('[#14 B3] the shared draft', () => {
	it('[#14 B3] two agents type into the draft at once and converge; deletes of draft text are taken', async () => {
		const { customer, adaDoc, graceDoc } = await huddle();
		adaDoc.doc.getText('draft').insert(0, 'Hello Pat, ');
		graceDoc.doc.getText('draft').insert(0, 'your refund is on its way.');
		await eventually(() => expect(adaDoc.doc.getText('draft').toString()).toBe(graceDoc.doc.getText('draft').toString()));
		expect(adaDoc.doc.getText('draft').length).toBe(37);
		graceDoc.doc.getText('draft').delete(0, graceDoc.doc.getText('draft').length);
		graceDoc.doc.getText('draft').insert(0, 'Done.');
		await eventually(() => expect(adaDoc.doc.getText('draft').toString()).toBe('Done.'));
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe('Done.'));
		expect(adaDoc.closes).toEqual([]);
		expect(graceDoc.closes).toEqual([]);
	});

	it('[#14 B3] formatting, embeds, control characters and a draft past the limit are refused', async () => {
		const { customer, ada, adaDoc } = await huddle();
		adaDoc.doc.getText('draft').insert(0, 'plain');
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe('plain'));
		const token = ada.sessionToken;
		await refused(customer.chatId, token, (doc) => doc.getText('draft').format(0, 3, { bold: true }));
		await refused(customer.chatId, token, (doc) => doc.getText('draft').insert(0, 'bold', { bold: true }));
		await refused(customer.chatId, token, (doc) => doc.getText('draft').insertEmbed(1, { image: 'https://evil.test/x.png' }));
		await refused(customer.chatId, token, (doc) => doc.getText('draft').insert(2, 'bell\u0007'));
		await refused(customer.chatId, token, (doc) => doc.getText('draft').insert(5, 'x'.repeat(MAX_DRAFT_TEXT - 4)));
		await refused(customer.chatId, token, (doc) => doc.getText('draft').applyDelta([{ insert: { nested: true } }]));
		await refused(customer.chatId, token, (doc) =>
			doc.transact(() => {
				doc.getText('draft').insert(0, 'x');
				doc.getMap('meta').set('a', 1);
			})
		);
		// Exactly at the limit is fine.
		adaDoc.doc.getText('draft').insert(5, 'x'.repeat(MAX_DRAFT_TEXT - 5));
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toHaveLength(MAX_DRAFT_TEXT));
		expect(adaDoc.closes).toEqual([]);
	});

	it('[#14 B3] a draft edit cannot delete a whisper at the same time', async () => {
		const { customer, ada, adaDoc } = await huddle();
		adaDoc.doc.getArray('whispers').push([newWhisper(ADA, 'keep me', Date.now(), 'w1')]);
		await eventually(async () => expect(await serverJson(agentsDoc(customer.chatId))).toContain('keep me'));
		await refused(customer.chatId, ada.sessionToken, (doc) =>
			doc.transact(() => {
				doc.getText('draft').insert(0, 'hi');
				doc.getArray('whispers').delete(0, 1);
			})
		);
	});
});

describe('[#14 B3] sending the draft', () => {
	it('[#14 B3] any agent sends the draft: the customer gets exactly one message by the sender, the draft empties for everyone, the audit names it', async () => {
		const { customer, grace, adaDoc, graceDoc } = await huddle();
		const chat = open(`chat/${customer.chatId}`, customer.token);
		await chat.synced();
		adaDoc.doc.getText('draft').insert(0, 'Your refund ');
		graceDoc.doc.getText('draft').insert(0, 'Hi Pat! ');
		await eventually(() => expect(graceDoc.doc.getText('draft').toString()).toBe(adaDoc.doc.getText('draft').toString()));
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toHaveLength(20));
		const seen = graceDoc.doc.getText('draft').toString();
		const before = chat.messages().length;
		// Both press Send with what they see: one wins, the other finds the draft changed.
		const [a, b] = await Promise.all([
			grace.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: seen }),
			grace.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: seen })
		]);
		expect([a.status, b.status].sort()).toEqual([200, 409]);
		expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('DRAFT_CHANGED');
		await eventually(() => expect(chat.messages().length).toBe(before + 1));
		expect(chat.messages().at(-1)).toMatchObject({ kind: 'text', author: { id: 'grace', role: 'agent', name: 'Grace' }, text: seen });
		await eventually(() => expect(adaDoc.doc.getText('draft').toString()).toBe(''));
		const audit = await server.rows(sql`SELECT kind, actor FROM audit_events WHERE kind = 'draft.sent'`);
		expect(audit).toEqual([{ kind: 'draft.sent', actor: 'grace' }]);
	});

	it('[#14 B3] a draft that changed since the sender saw it, an empty draft, and a sender outside the chat are refused', async () => {
		const { customer, ada, adaDoc } = await huddle();
		adaDoc.doc.getText('draft').insert(0, 'typing…');
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe('typing…'));
		const stale = await ada.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: 'typing' });
		expect(stale.body.error.code).toBe('DRAFT_CHANGED');
		adaDoc.doc.getText('draft').delete(0, 7);
		adaDoc.doc.getText('draft').insert(0, '   ');
		await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe('   '));
		const empty = await ada.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: '   ' });
		expect(empty.status).toBe(400);
		expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe('   ');
		const { signIn } = await import('../helpers/api');
		const linus = await signIn(server, 'linus@parley.test');
		expect((await linus.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: '   ' })).body.error.code).toBe('NOT_PARTICIPANT');
	});
});

describe('[#14 B2][#14 B3] the audit of the huddle', () => {
	it('[A1][A2][#14 B3] the timeline attributes each whisper and each draft edit; replay shows the draft at every step', async () => {
		const { customer, grace, adaDoc, graceDoc } = await huddle();
		const steps: string[] = [];
		const step = async (change: () => void, by = adaDoc) => {
			change();
			const want = by.doc.getText('draft').toString();
			await eventually(async () => expect(JSON.parse(await serverJson(agentsDoc(customer.chatId))).draft).toBe(want));
			steps.push(want);
		};
		adaDoc.doc.getArray('whispers').push([newWhisper(ADA, 'check the invoice', Date.now(), 'w1')]);
		await eventually(async () => expect(await serverJson(agentsDoc(customer.chatId))).toContain('check the invoice'));
		await step(() => adaDoc.doc.getText('draft').insert(0, 'Hello'));
		await eventually(() => expect(graceDoc.doc.getText('draft').toString()).toBe('Hello'));
		await step(() => graceDoc.doc.getText('draft').insert(5, ' Pat'), graceDoc);
		await eventually(() => expect(adaDoc.doc.getText('draft').toString()).toBe('Hello Pat'));
		await step(() => adaDoc.doc.getText('draft').delete(0, 5));
		await step(() => adaDoc.doc.getText('draft').insert(0, 'Hi'));
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text: 'Hi Pat' })).status).toBe(200);

		const { signIn } = await import('../helpers/api');
		const auditor = await signIn(server, 'audit@parley.test');
		const timeline: any[] = (await auditor.call('GET', `/api/audit/chats/${customer.chatId}/timeline`)).body.timeline;
		const huddleRows = timeline.filter((e) => e.doc === agentsDoc(customer.chatId));
		expect(huddleRows.map((e) => [e.actor.name, e.summary])).toEqual([
			['Ada', 'Ada: whisper “check the invoice”'],
			['Ada', 'Ada: draft edited (+5 −0)'],
			['Grace', 'Grace: draft edited (+4 −0)'],
			['Ada', 'Ada: draft edited (+0 −5)'],
			['Ada', 'Ada: draft edited (+2 −0)'],
			['Parley', 'server: draft edited (+0 −6)'] // emptied by the send (the decision draft.sent names Grace)
		]);
		// Replay: the draft as it was after each edit, then empty once sent.
		const drafts = [];
		for (const row of huddleRows.slice(1)) {
			const state = await auditor.call('GET', `/api/audit/chats/${customer.chatId}/state?at=${row.seq}`);
			drafts.push(state.body.documents[agentsDoc(customer.chatId)].draft);
		}
		expect(drafts).toEqual([...steps, '']);
		expect(timeline.some((e) => e.kind === 'draft.sent' && e.actor.name === 'Grace')).toBe(true);
	});
});
