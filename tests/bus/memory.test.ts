import { describe, expect, it } from 'vitest';
import { createMemoryHub } from '../../server/bus/memory';
import { busContract } from './bus.contract';

// The bus contract on the in-process adapter: a fresh hub for every test, several "instances"
// connected to it.
describe('bus: in-process', () => {
	busContract(() => {
		const hub = createMemoryHub();
		return { connect: async (options) => hub.connect(options) };
	});

	it('[B5] reconnectAll fires every open instance\'s onReconnect (tests drive the catch-up path with it), not a closed one\'s', async () => {
		const hub = createMemoryHub();
		const [a, b] = [hub.connect(), hub.connect()];
		const fired: string[] = [];
		a.onReconnect(() => fired.push('a'));
		const off = b.onReconnect(() => fired.push('b'));
		hub.reconnectAll();
		off();
		hub.reconnectAll();
		await a.close();
		hub.reconnectAll();
		expect(fired).toEqual(['a', 'b', 'a']);
	});
});
