import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { newWhisper } from '../../src/lib/core/whisper-policy';
import { signIn } from '../helpers/api';
import { serverPerTest } from '../helpers/per-test';
import { conference } from '../helpers/huddle';
import { eventually, type TestServer } from '../helpers/server';
import { download, PNG, upload } from '../helpers/upload';

// B6 on the real server: Sam (supervisor of billing and tech) watches live chats of his teams,
// reads them, whispers, and joins through a conference request addressed to himself.
const { boot, open } = serverPerTest();
let server: TestServer;
const SAM = { id: 'sam', role: 'agent' as const, name: 'Sam Reyes' };
const serverJson = async (name: string) => JSON.stringify((await server.docs.get(name)).doc.toJSON());

describe('[#14 B6] the supervisor', () => {
	it('[#14 B6] lists the live chats of its teams with queue times; agents cannot', async () => {
		server = await boot();
		const { customer, ada } = await conference(server);
		const sam = await signIn(server, 'sam@parley.test');
		const res = await sam.call('GET', '/api/supervisor/chats');
		expect(res.status).toBe(200);
		const row = res.body.chats.find((c: any) => c.id === customer.chatId);
		expect(row).toMatchObject({ status: 'active', topic: 'Billing', customerName: 'Pat', joined: false });
		expect(row.agents.map((a: any) => a.name).sort()).toEqual(['Ada', 'Grace']);
		expect(row.queueMs).toBeGreaterThanOrEqual(0);
		expect(row.answeredAt).toBeGreaterThanOrEqual(row.createdAt);
		expect((await ada.call('GET', '/api/supervisor/chats')).status).toBe(403);
	});

	it('[#14 B6] watches read-only: its writes to the chat are dropped; it whispers; it cannot edit the draft', async () => {
		server = await boot();
		const { customer, ada } = await conference(server);
		const sam = await signIn(server, 'sam@parley.test');
		const watch = open(`chat/${customer.chatId}`, sam.sessionToken);
		const huddle = open(`chat/${customer.chatId}/agents`, sam.sessionToken);
		const adaHuddle = open(`chat/${customer.chatId}/agents`, ada.sessionToken);
		await Promise.all([watch.synced(), huddle.synced(), adaHuddle.synced()]);
		expect(watch.messages().some((m) => m.text === 'Grace joined the chat')).toBe(true);
		const before = await serverJson(`chat/${customer.chatId}`);
		watch.doc.getArray('messages').push([newTextMessage(SAM, 'not allowed', Date.now(), 's1')]);
		huddle.doc.getArray('whispers').push([newWhisper(SAM, 'Ada, offer the refund', Date.now(), 'w1')]);
		await eventually(() => expect(adaHuddle.doc.getArray<any>('whispers').toArray().map((w) => w.text)).toEqual(['Ada, offer the refund']));
		expect(await serverJson(`chat/${customer.chatId}`)).toBe(before);
		expect(watch.closes).toEqual([]);
		huddle.doc.getText('draft').insert(0, 'Sam types');
		await huddle.closedWith(4400);
		expect(JSON.parse(await serverJson(`chat/${customer.chatId}/agents`)).draft).toBe('');
	});

	it('[#17][#14 B6] watching, it uploads agents-only files for its whispers (only those); a whisper carries one; the agents get it', async () => {
		server = await boot();
		const { customer, ada } = await conference(server);
		const sam = await signIn(server, 'sam@parley.test');
		const plain = await upload(sam, customer.chatId, { name: 'to-customer.png', bytes: PNG });
		expect([plain.status, plain.body.error.code]).toEqual([403, 'FORBIDDEN']);
		const res = await upload(sam, customer.chatId, { name: 'sam-note.png', bytes: PNG }, { agentsOnly: 'true' });
		expect(res.status).toBe(201);
		const id = res.body.attachment.id;
		const huddle = open(`chat/${customer.chatId}/agents`, sam.sessionToken);
		const adaHuddle = open(`chat/${customer.chatId}/agents`, ada.sessionToken);
		await Promise.all([huddle.synced(), adaHuddle.synced()]);
		huddle.doc.getArray('whispers').push([{ ...newWhisper(SAM, '', Date.now(), 'w1'), attachments: [id] }]);
		await eventually(() => expect(adaHuddle.doc.getArray<any>('whispers').toArray().map((w) => w.attachments)).toEqual([[id]]));
		expect(huddle.closes).toEqual([]);
		expect((await download(ada, customer.chatId, id)).status).toBe(200);
	});

	it('[#14 B6] a chat of another team is not its to watch', async () => {
		server = await boot();
		const { customer } = await conference(server); // Billing
		await server.storage.facts.db.insert(server.storage.facts.t.users).values({
			id: 'tess', email: 'tess@parley.test', name: 'Tess', role: 'supervisor', passwordHash: await hashPassword('parley-demo'),
			permissions: [], skills: ['tech'], capacity: 3, chatConfigurationId: 'default'
		});
		const tess = await signIn(server, 'tess@parley.test');
		expect((await tess.call('GET', '/api/supervisor/chats')).body.chats).toEqual([]);
		await open(`chat/${customer.chatId}`, tess.sessionToken).closedWith(4403);
		await open(`chat/${customer.chatId}/agents`, tess.sessionToken).closedWith(4403);
		const join = await tess.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'tess' });
		expect(join.status).toBe(403);
	});

	it('[#14 B6] joins through the ordinary request, addressed to itself: offered, accepted, in the chat like an agent', async () => {
		server = await boot();
		const { customer } = await conference(server);
		const sam = await signIn(server, 'sam@parley.test');
		const desk = open('agent/sam', sam.sessionToken);
		const chat = open(`chat/${customer.chatId}`, customer.token);
		await Promise.all([desk.synced(), chat.synced()]);
		// Only to itself: asking someone else from outside the chat is an ordinary request, refused.
		expect((await sam.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus' })).body.error.code).toBe('NOT_PARTICIPANT');
		const sent = await sam.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'sam' });
		expect(sent.status).toBe(201);
		expect((await sam.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'sam' })).body.error.code).toBe('DUPLICATE_REQUEST');
		await eventually(() => expect(desk.doc.getMap<any>('offers').get(sent.body.requestId)).toMatchObject({ kind: 'conference', chatId: customer.chatId, requesterName: 'Sam Reyes' }));
		expect((await sam.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		await eventually(() => expect(chat.messages().map((m) => m.text)).toContain('Sam Reyes joined the chat'));
		// Now in it: it writes to the chat and edits the draft like the agents.
		const samChat = open(`chat/${customer.chatId}`, sam.sessionToken);
		const samHuddle = open(`chat/${customer.chatId}/agents`, sam.sessionToken);
		await Promise.all([samChat.synced(), samHuddle.synced()]);
		samChat.doc.getArray('messages').push([newTextMessage(SAM, 'Hello, I am the supervisor.', Date.now(), 's2')]);
		samHuddle.doc.getText('draft').insert(0, 'Sam drafts');
		await eventually(() => expect(chat.messages().map((m) => m.text)).toContain('Hello, I am the supervisor.'));
		await eventually(async () => expect(JSON.parse(await serverJson(`chat/${customer.chatId}/agents`)).draft).toBe('Sam drafts'));
		expect(samHuddle.closes).toEqual([]);
	});
});
