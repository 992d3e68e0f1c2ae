import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import { SyncProvider } from './provider';

// The browser's provider must speak exactly like the stock y-websocket 3.1 client and behave like
// it: one scripted session (open, sync both ways, local updates and awareness, an awareness query,
// a permission-denied message, a dropped connection and the backoff, a final 44xx close and a
// resume, destroy) is played against both, and every frame sent, every event and every warning
// must be the same. (The stock client reads the clock through lib0/time, which keeps the real
// Date.now, so its 30 s silence check cannot be played with fake time; ours is tested alone.)

/** A WebSocket whose server side the test drives. */
class FakeSocket {
	static sockets: FakeSocket[] = [];
	readonly CONNECTING = 0;
	readonly OPEN = 1;
	readonly CLOSED = 3;
	readyState = 0;
	binaryType = 'blob';
	sent: number[][] = [];
	onopen: ((event: unknown) => void) | null = null;
	onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
	onclose: ((event: { code: number; reason: string }) => void) | null = null;
	onerror: ((event: unknown) => void) | null = null;
	constructor(readonly url: string) {
		FakeSocket.sockets.push(this);
	}
	send(data: Uint8Array) {
		this.sent.push([...data]);
	}
	close() {
		this.readyState = this.CLOSED;
	}
	open() {
		this.readyState = this.OPEN;
		this.onopen?.({});
	}
	receive(frame: Uint8Array) {
		this.onmessage?.({ data: frame.slice().buffer });
	}
	serverClose(code: number, reason = '') {
		this.readyState = this.CLOSED;
		this.onclose?.({ code, reason });
	}
}

const frame = (write: (e: encoding.Encoder) => void) => {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e);
};

interface Session {
	doc: Y.Doc;
	awareness: awarenessProtocol.Awareness;
	connect(): void;
	destroy(): void;
}

type Log = (entry: string) => void;

function stock(doc: Y.Doc, log: Log): Session {
	const provider = new WebsocketProvider('ws://parley.test/sync/', 'chat/c1', doc, {
		connect: false,
		disableBc: true,
		WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket
	});
	provider.on('status', ({ status }) => log(`status ${status}`));
	provider.on('sync', (synced: boolean) => log(`sync ${synced}`));
	provider.on('closed', ({ code, reason }) => log(`closed ${code} ${reason}`));
	return {
		doc,
		awareness: provider.awareness,
		connect: () => provider.connect(),
		destroy: () => provider.destroy()
	};
}

function ours(doc: Y.Doc, log: Log): Session {
	const provider = new SyncProvider('ws://parley.test/sync/', 'chat/c1', doc, {
		status: (status) => log(`status ${status}`),
		sync: (synced) => log(`sync ${synced}`),
		closed: (code, reason) => log(`closed ${code} ${reason}`)
	});
	return {
		doc,
		awareness: provider.awareness,
		connect: () => provider.connect(),
		destroy: () => provider.destroy()
	};
}

/** Plays the session; returns what the client sent on each socket and everything it reported. */
function play(make: (doc: Y.Doc, log: Log) => Session) {
	FakeSocket.sockets = [];
	const events: string[] = [];
	const log: Log = (entry) => events.push(entry);
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

	const server = new Y.Doc();
	server.clientID = 99;
	server.getMap('meta').set('status', 'waiting');
	const serverAwareness = new awarenessProtocol.Awareness(server);
	serverAwareness.setLocalState({ user: { id: 'a1', name: 'Grace', role: 'agent' }, typing: true });

	const doc = new Y.Doc();
	doc.clientID = 1;
	const s = make(doc, log);
	const socket = () => FakeSocket.sockets.at(-1)!;
	const others = () => [...s.awareness.getStates().keys()].filter((id) => id !== 1).join(',');

	s.connect();
	socket().open();
	// The server's SyncStep1 (answered with a SyncStep2), then its SyncStep2: synced.
	socket().receive(frame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, server))));
	socket().receive(frame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, server))));
	log(`meta ${JSON.stringify(doc.getMap('meta').toJSON())}`);
	// A message typed here, and the typing flag.
	doc.getArray('messages').push([{ id: 'm1', kind: 'text', text: 'hello' }]);
	s.awareness.setLocalStateField('typing', true);
	// An update from the server, an awareness query, another client's awareness, a refusal.
	const remote = new Y.Doc();
	remote.clientID = 98;
	Y.applyUpdate(remote, Y.encodeStateAsUpdate(server));
	remote.on('update', (u: Uint8Array) => socket().receive(frame((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, u)))));
	remote.getMap('meta').set('status', 'active');
	log(`meta ${JSON.stringify(doc.getMap('meta').toJSON())}`);
	socket().receive(frame((e) => encoding.writeVarUint(e, 3)));
	socket().receive(frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(serverAwareness, [99])))));
	log(`others ${others()}`);
	socket().receive(frame((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 0), encoding.writeVarString(e, 'read-only'))));

	// The connection drops: the others' awareness goes, a new socket after 200 ms.
	socket().serverClose(1006);
	log(`others ${others()}`);
	vi.advanceTimersByTime(199);
	log(`sockets ${FakeSocket.sockets.length}`);
	vi.advanceTimersByTime(1);
	log(`sockets ${FakeSocket.sockets.length}`);
	socket().open();
	// A final close: no reconnect until connect().
	socket().serverClose(4403, 'no access');
	vi.advanceTimersByTime(10_000);
	log(`sockets ${FakeSocket.sockets.length}`);
	s.connect();
	log(`sockets ${FakeSocket.sockets.length}`);
	socket().open();
	s.destroy();
	vi.advanceTimersByTime(10_000);
	log(`sockets ${FakeSocket.sockets.length}`);

	const warnings = warn.mock.calls.map((args) => args.join(' '));
	warn.mockRestore();
	remote.destroy();
	server.destroy();
	doc.destroy();
	return {
		sockets: FakeSocket.sockets.map((ws) => ({ url: ws.url, binaryType: ws.binaryType, sent: ws.sent })),
		events,
		warnings
	};
}

describe('SyncProvider', () => {
	beforeEach(() => {
		vi.stubGlobal('WebSocket', FakeSocket);
	});
	afterEach(() => {
		vi.unstubAllGlobals();
		vi.useRealTimers();
	});

	it('sends the same frames and reports the same events as the stock y-websocket client', () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
		const expected = play(stock);
		const actual = play(ours);
		// The session did what it says (so that equal logs mean something).
		expect(expected.sockets.map((s) => s.url)).toEqual(Array(3).fill('ws://parley.test/sync/chat/c1'));
		expect(expected.events).toEqual([
			'status connecting',
			'status connected',
			'sync true',
			'meta {"status":"waiting"}',
			'meta {"status":"active"}',
			'others 99',
			'sync false',
			'status disconnected',
			'others ',
			'sockets 1',
			'status connecting',
			'sockets 2',
			'status connected',
			'status disconnected',
			'closed 4403 no access',
			'sockets 2',
			'status connecting',
			'sockets 3',
			'status connected',
			'status disconnected',
			'sockets 3'
		]);
		// SyncStep1, own awareness, SyncStep2 answer, the message, typing, the awareness query's
		// answer, and the other client's awareness passed on (the stock client relays all changes).
		expect(expected.sockets[0].sent.map((f) => `${f[0]}.${f[0] === 0 ? f[1] : ''}`)).toEqual(['0.0', '1.', '0.1', '0.2', '1.', '1.', '1.']);
		expect(expected.warnings).toEqual(['Permission denied to access ws://parley.test/sync/chat/c1.\nread-only']);
		expect(actual).toEqual(expected);
	});

	it('drops a connection that stayed silent for 30 s and reconnects', () => {
		vi.useFakeTimers();
		const events: string[] = [];
		FakeSocket.sockets = [];
		const doc = new Y.Doc();
		const provider = new SyncProvider('ws://parley.test/sync', 'chat/c1', doc, {
			status: (status) => events.push(status),
			sync: () => {},
			closed: () => {}
		});
		provider.connect();
		FakeSocket.sockets[0].open();
		vi.advanceTimersByTime(30_000);
		expect(events).toEqual(['connecting', 'connected']);
		// Checked every 3 s: the first check past 30 s closes it; the backoff reconnects.
		vi.advanceTimersByTime(3_000);
		expect(events).toEqual(['connecting', 'connected', 'disconnected']);
		expect(FakeSocket.sockets[0].readyState).toBe(3);
		vi.advanceTimersByTime(200);
		expect(events).toEqual(['connecting', 'connected', 'disconnected', 'connecting']);
		expect(FakeSocket.sockets).toHaveLength(2);
		provider.destroy();
		doc.destroy();
	});
});
