import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ConnectionCounter, DEFAULT_LIMITS, TokenBucket } from '../../server/sync/limits';
import { SocketPeer } from '../../server/sync/peer';

// The limits' arithmetic, with the clock passed in (README "Limits").
describe('[security] limits', () => {
	it('[security] a token bucket allows its burst, then its rate, and refills up to the burst only', () => {
		const b = new TokenBucket(10, 5, 0);
		for (let i = 0; i < 5; i++) expect(b.take(1, 0)).toBe(true);
		expect(b.take(1, 0)).toBe(false);
		expect(b.take(1, 100)).toBe(true); // 100 ms at 10/s = 1 token
		expect(b.take(1, 100)).toBe(false);
		expect(b.take(5, 100_000)).toBe(true); // a long pause refills to the burst, not beyond
		expect(b.take(1, 100_000)).toBe(false);
		expect(b.take(6, 200_000)).toBe(false); // more than the burst never fits
	});

	it('[security] the connection counter refuses past the maximum and frees a slot on release', () => {
		const c = new ConnectionCounter();
		expect(c.acquire('s', 2)).toBe(true);
		expect(c.acquire('s', 2)).toBe(true);
		expect(c.acquire('s', 2)).toBe(false);
		expect(c.acquire('t', 2)).toBe(true);
		c.release('s');
		expect(c.acquire('s', 2)).toBe(true);
		c.release('s');
		c.release('s');
		expect(c.count('s')).toBe(0);
	});

	it('[security] a socket that does not read is dropped once its backlog passes the limit, not buffered forever', () => {
		let buffered = 0;
		let terminated = false;
		const sent: Uint8Array[] = [];
		const ws = {
			OPEN: 1,
			get readyState() {
				return terminated ? 3 : 1;
			},
			get bufferedAmount() {
				return buffered;
			},
			send: (m: Uint8Array) => {
				sent.push(m);
				buffered += m.length;
			},
			terminate: () => (terminated = true)
		} as unknown as WebSocket;
		const principal = { author: { id: 'p', role: 'customer' as const, name: 'Pat' }, actor: 'p', holder: 'customer:c:p', sessionId: null };
		const peer = new SocketPeer(ws, principal, 'write', DEFAULT_LIMITS);
		const chunk = new Uint8Array(1024 * 1024);
		for (let i = 0; i < 20; i++) peer.send(chunk);
		expect(terminated).toBe(true);
		expect(peer.closing).toBe(true);
		expect(sent.length).toBe(Math.floor(DEFAULT_LIMITS.maxBufferedBytes / chunk.length) + 1);
	});
});
