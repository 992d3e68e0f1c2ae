import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { DEFAULT_LIMITS } from '../../server/sync/limits';
import * as P from '../../server/sync/protocol';
import { appendUpdate, forgeUpdate, messageIds } from './forge';
import { RawSocket, awarenessFrame, updateFrame } from './raw-socket';
import { clientFrame, pipelinedUpgrade } from './wire';

// The gateway under attack: malformed upgrades, frames before authorization, oversized frames,
// floods, too many sockets, awareness abuse. Each ends in a documented close code (README
// "Limits"), the server stays up, and the document is unchanged.
let server: TestServer;
const cleanup: (() => void)[] = [];
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	cleanup.splice(0).forEach((f) => f());
	await server.stop();
});

const raw = (doc: string, opts: ConstructorParameters<typeof RawSocket>[2] = {}) => {
	const s = new RawSocket(server.url, doc, opts);
	cleanup.push(() => s.close());
	return s;
};
const serverDoc = async (name: string) => (await server.docs.get(name)).doc;
const state = async (name: string) => Y.encodeStateAsUpdate(await serverDoc(name));
const snapshot = async (name: string) => JSON.stringify((await serverDoc(name)).toJSON());
const healthy = async () => expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

async function openChat() {
	const customer = await startCustomerChat(server);
	return { customer, name: `chat/${customer.chatId}` };
}

describe('[security] the upgrade cannot crash the server', () => {
	it('[security] malformed %-escapes in the path or a cookie, and an unparsable URL, are refused; the server stays up', async () => {
		const malformedPath = await pipelinedUpgrade(server.port, '/sync/chat/%E0%A4%A', [], []);
		expect(malformedPath.closeCode).toBe(P.CLOSE.NO_SUCH_DOC);
		const { name } = await openChat();
		const badCookie = await pipelinedUpgrade(server.port, `/sync/${name}`, ['Cookie: parley_session=%E0%A4%A; parley_chat_x=%'], []);
		expect(badCookie.closeCode).toBe(P.CLOSE.NOT_SIGNED_IN);
		const badUrl = await pipelinedUpgrade(server.port, 'http://[::1/sync/x', [], []);
		expect(badUrl.status).toMatch(/^HTTP\/1.1 400/);
		await healthy();
	});

	it('[security] a WebSocket upgrade from a foreign Origin is refused 4403, even with valid credentials', async () => {
		const { customer, name } = await openChat();
		const s = raw(name, { token: customer.token, origin: 'https://evil.example' });
		expect((await s.ended).code).toBe(P.CLOSE.FORBIDDEN);
	});
});

describe('[security] nothing is processed before the connection is authorized', () => {
	it('[security] frames pipelined behind an upgrade without credentials are never read: 4401, document unchanged', async () => {
		const { customer, name } = await openChat();
		const before = await snapshot(name);
		const forged = appendUpdate(await state(name), customer.customer, 'sneaked in', 'pre1');
		const answer = await pipelinedUpgrade(server.port, `/sync/${name}`, [], [
			clientFrame(updateFrame(forged, P.SYNC_STEP2)),
			clientFrame(updateFrame(forged))
		]);
		expect(answer.closeCode).toBe(P.CLOSE.NOT_SIGNED_IN);
		expect(await snapshot(name)).toBe(before);
	});

	it("[security] frames pipelined with another customer's token are never read: 4403, document unchanged", async () => {
		const { customer, name } = await openChat();
		const other = await startCustomerChat(server, 'Billing', 'Bob', 'bob@example.com');
		const before = await snapshot(name);
		const forged = appendUpdate(await state(name), customer.customer, 'sneaked in', 'pre2');
		const answer = await pipelinedUpgrade(server.port, `/sync/${name}?token=${other.token}`, [], [clientFrame(updateFrame(forged))]);
		expect(answer.closeCode).toBe(P.CLOSE.FORBIDDEN);
		expect(await snapshot(name)).toBe(before);
	});

	it('[security] a read-only connection (the agent desk) has its pipelined writes dropped', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		const desk = 'agent/ada';
		const before = await snapshot(desk);
		const forged = forgeUpdate(await state(desk), (d) => d.getMap('offers').set('x', { id: 'x' }))!;
		const s = raw(desk, { token: ada.sessionToken });
		await s.opened;
		s.send(updateFrame(forged, P.SYNC_STEP2));
		s.send(updateFrame(forged));
		expect(await s.barrier()).toBeNull();
		expect(await snapshot(desk)).toBe(before);
	});
});

describe('[security] malformed and oversized frames', () => {
	it('[security] text frames, unknown message types, unknown sync types and truncated frames close 4402', async () => {
		const { customer, name } = await openChat();
		const before = await snapshot(name);
		const cases: (Uint8Array | string)[] = [
			'hello',
			Uint8Array.of(7),
			Uint8Array.of(P.MSG_AUTH, 0),
			Uint8Array.of(P.MSG_SYNC, 9, 0),
			Uint8Array.of(P.MSG_SYNC, P.SYNC_UPDATE, 50, 1, 2),
			Uint8Array.of(P.MSG_SYNC),
			Uint8Array.of(P.MSG_SYNC, P.SYNC_STEP1, 3, 200, 200, 200),
			Uint8Array.of(P.MSG_AWARENESS, 5, 1, 2),
			Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
		];
		for (const frame of cases) {
			const s = raw(name, { token: customer.token });
			await s.opened;
			s.send(frame);
			expect((await s.ended).code, `frame ${String(frame)}`).toBe(P.CLOSE.BAD_FRAME);
		}
		expect(await snapshot(name)).toBe(before);
		await healthy();
	});

	it('[security] a frame over 256 KiB closes 4413; over the 1 MiB hard cap ws closes 1009; nothing applied', async () => {
		const { customer, name } = await openChat();
		const before = await snapshot(name);
		const big = raw(name, { token: customer.token });
		await big.opened;
		const tooBig = new Uint8Array(DEFAULT_LIMITS.maxFrameBytes + 1);
		tooBig[0] = P.MSG_QUERY_AWARENESS;
		big.send(tooBig);
		expect((await big.ended).code).toBe(P.CLOSE.TOO_LARGE);
		const huge = raw(name, { token: customer.token });
		await huge.opened;
		huge.send(new Uint8Array(DEFAULT_LIMITS.hardMaxFrameBytes + 1));
		expect((await huge.ended).code).toBe(1009);
		// Exactly at the limit is read (and a query-awareness frame with padding is harmless).
		const edge = raw(name, { token: customer.token });
		await edge.opened;
		const atLimit = new Uint8Array(DEFAULT_LIMITS.maxFrameBytes);
		atLimit[0] = P.MSG_QUERY_AWARENESS;
		edge.send(atLimit);
		expect(await edge.barrier()).toBeNull();
		expect(await snapshot(name)).toBe(before);
	});

	it('[security] after a refusal the rest of the burst is not read', async () => {
		const { customer, name } = await openChat();
		const before = await snapshot(name);
		const s = raw(name, { token: customer.token });
		await s.opened;
		s.send(Uint8Array.of(7));
		s.send(updateFrame(appendUpdate(await state(name), customer.customer, 'after the refusal', 'late1')));
		expect((await s.ended).code).toBe(P.CLOSE.BAD_FRAME);
		expect(await snapshot(name)).toBe(before);
	});
});

describe('[security] limits per connection and per session', () => {
	it(`[security] more than ${DEFAULT_LIMITS.frameBurst} frames in a burst close 4429; honest peers are unaffected`, async () => {
		const { customer, name } = await openChat();
		const honest = connectDoc(server.url, name, customer.token);
		cleanup.push(honest.destroy);
		await honest.synced();
		const s = raw(name, { token: customer.token });
		await s.opened;
		for (let i = 0; i < DEFAULT_LIMITS.frameBurst * 2; i++) s.send(Uint8Array.of(P.MSG_QUERY_AWARENESS));
		expect((await s.ended).code).toBe(P.CLOSE.TOO_MANY);
		honest.doc.getArray('messages').push([{ id: 'h1', kind: 'text', author: customer.customer, text: 'still here', at: Date.now() }]);
		await eventually(async () => expect(messageIds(await serverDoc(name))).toContain('h1'));
		expect(honest.closes).toEqual([]);
	});

	it(`[security] more than ${DEFAULT_LIMITS.stateRequestBurst} state requests (SyncStep1, each an encoding of the document) in a burst close 4429`, async () => {
		const { customer, name } = await openChat();
		const s = raw(name, { token: customer.token });
		const sv = await s.serverStateVector();
		for (let i = 0; i < DEFAULT_LIMITS.stateRequestBurst + 5; i++) s.send(updateFrame(Uint8Array.of(0), P.SYNC_STEP1));
		s.send(updateFrame(sv, P.SYNC_STEP1));
		expect((await s.ended).code).toBe(P.CLOSE.TOO_MANY);
	});

	it('[security] more bytes than the burst allows close 4429', async () => {
		const { customer, name } = await openChat();
		const s = raw(name, { token: customer.token });
		await s.opened;
		const frame = new Uint8Array(DEFAULT_LIMITS.maxFrameBytes - 1024);
		frame[0] = P.MSG_QUERY_AWARENESS;
		for (let i = 0; i < Math.ceil(DEFAULT_LIMITS.byteBurst / frame.length) + 1; i++) s.send(frame);
		expect((await s.ended).code).toBe(P.CLOSE.TOO_MANY);
	});

	it(`[security] a customer token holds at most ${DEFAULT_LIMITS.connectionsPerCustomer} sockets; the next gets 4429, a freed slot is reusable`, async () => {
		const { customer, name } = await openChat();
		const open: RawSocket[] = [];
		for (let i = 0; i < DEFAULT_LIMITS.connectionsPerCustomer; i++) {
			const s = raw(name, { token: customer.token });
			await s.opened;
			expect(await s.barrier()).toBeNull();
			open.push(s);
		}
		const extra = raw(name, { token: customer.token });
		expect((await extra.ended).code).toBe(P.CLOSE.TOO_MANY);
		open[0].close();
		await eventually(async () => {
			const again = raw(name, { token: customer.token });
			await again.opened;
			expect(await again.barrier()).toBeNull();
		});
	});

	it(`[security] a session holds at most ${DEFAULT_LIMITS.connectionsPerSession} sockets; another session is not affected`, async () => {
		const linus = await signIn(server, 'linus@parley.test');
		const sockets: RawSocket[] = [];
		for (let i = 0; i < DEFAULT_LIMITS.connectionsPerSession; i++) sockets.push(raw('agent/linus', { token: linus.sessionToken }));
		for (const s of sockets) expect(await s.barrier()).toBeNull();
		const extra = raw('agent/linus', { token: linus.sessionToken });
		expect((await extra.ended).code).toBe(P.CLOSE.TOO_MANY);
		const second = await signIn(server, 'linus@parley.test');
		const other = raw('agent/linus', { token: second.sessionToken });
		expect(await other.barrier()).toBeNull();
		sockets.forEach((s) => s.close());
	});
});

describe('[security][B1] awareness cannot impersonate or flood', () => {
	it("[security] a socket speaks for a few awareness clientIDs at most, never the server's or another socket's", async () => {
		const { customer, name } = await openChat();
		const observer = connectDoc(server.url, name, customer.token);
		cleanup.push(observer.destroy);
		await observer.synced();
		observer.provider.awareness.setLocalState({ typing: false });
		const live = await server.docs.get(name);
		await eventually(() => expect(live.awareness.getStates().has(observer.doc.clientID)).toBe(true));
		const serverId = live.awareness.clientID;
		const s = raw(name, { token: customer.token });
		await s.opened;
		const ids = Array.from({ length: 40 }, (_, i) => 1_000_000 + i);
		s.send(
			awarenessFrame([
				{ clientId: serverId, clock: 99, state: { user: { id: 'system', name: 'Parley', role: 'system' } } },
				{ clientId: observer.doc.clientID, clock: 999, state: { hijacked: true } },
				...ids.map((clientId) => ({ clientId, clock: 1, state: { user: { id: 'ada', name: 'Ada', role: 'agent' } } }))
			])
		);
		expect(await s.barrier()).toBeNull();
		const states = live.awareness.getStates();
		expect(states.has(serverId)).toBe(false);
		expect(states.get(observer.doc.clientID)?.hijacked).toBeUndefined();
		const taken = ids.filter((id) => states.has(id));
		expect(taken.length).toBeLessThanOrEqual(DEFAULT_LIMITS.awarenessIdsPerConnection);
		for (const id of taken) expect(states.get(id)?.user).toEqual({ id: customer.customer.id, name: 'Pat', role: 'customer' });
		s.close();
		await eventually(() => expect(ids.some((id) => live.awareness.getStates().has(id))).toBe(false));
	});
});

describe('[security] clientID bindings survive a reload', () => {
	it("[security] the server's clientID stays the server's after the document reloads: a customer cannot write with it", async () => {
		const { customer, name } = await openChat(); // the server wrote the start notice on the customer's behalf
		const first = await server.docs.get(name);
		const serverClient = first.doc.getArray('messages')._start!.id.client;
		// Nobody is connected: it unloads after the grace period, and the next get loads it afresh.
		await eventually(async () => expect((await server.docs.get(name)) === first).toBe(false));
		expect((await serverDoc(name)).clientID).not.toBe(serverClient);
		const before = await snapshot(name);
		const s = raw(name, { token: customer.token });
		await s.opened;
		s.send(updateFrame(appendUpdate(await state(name), customer.customer, 'with the old server clock', 'old1', serverClient)));
		expect((await s.barrier())?.code).toBe(P.CLOSE.UPDATE_REFUSED);
		expect(await snapshot(name)).toBe(before);
	});
});
