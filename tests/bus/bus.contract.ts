import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusClosedError, type Bus, type BusErrorReporter } from '../../server/bus/bus';
import { eventually } from '../helpers/server';

/**
 * The bus contract (issue 13, B5): what every adapter of the fan-out port (server/bus/bus.ts)
 * promises while connected — every subscriber of a channel gets each message, on every instance,
 * in each publisher's order, byte for byte. Run by tests/bus/memory.test.ts and
 * tests/bus/redis.test.ts; the bus is not wired into the server yet.
 */
export interface BusFactory {
	/** A new instance's connection to the bus this test shares (a fresh hub, or one Redis). */
	connect(options?: { onError?: BusErrorReporter }): Promise<Bus>;
}

let counter = 0;
/** A channel name no other test (or run, with the adapter's prefix) uses. */
export const channelName = (kind = 'chat') => `${kind}/${process.pid}-${++counter}-${randomBytes(3).toString('hex')}`;

/** Connects buses for one test (closing all of them after it) and records what they receive. */
export function busesFor(factory: () => BusFactory) {
	let opened: Bus[] = [];
	let current: BusFactory;
	beforeEach(() => {
		current = factory();
	});
	afterEach(async () => {
		for (const bus of opened.splice(0)) await bus.close();
	});
	return {
		async connect(options?: { onError?: BusErrorReporter }) {
			const bus = await current.connect(options);
			opened.push(bus);
			return bus;
		}
	};
}

/** A listener that keeps what it got. */
export function inbox() {
	const got: Uint8Array[] = [];
	return { got, listener: (m: Uint8Array) => void got.push(m) };
}

const text = (s: string) => new TextEncoder().encode(s);
const read = (m: Uint8Array) => new TextDecoder().decode(m);
const same = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

export function busContract(factory: () => BusFactory) {
	describe('bus contract', () => {
		const buses = busesFor(factory);

		it('[B5] a message reaches every subscriber of its channel on every instance, the publisher\'s own included, and no other channel', async () => {
			const [a, b, c] = [await buses.connect(), await buses.connect(), await buses.connect()];
			const chat = channelName();
			const [onA, onB1, onB2, onOther, onPrefixed] = [inbox(), inbox(), inbox(), inbox(), inbox()];
			await a.subscribe(chat, onA.listener);
			await b.subscribe(chat, onB1.listener);
			await b.subscribe(chat, onB2.listener); // two subscriptions on one instance
			const other = channelName();
			await c.subscribe(other, onOther.listener);
			await c.subscribe(`${chat}0`, onPrefixed.listener); // a name that starts like it
			await a.publish(chat, text('hello'));
			await a.publish(other, text('marker'));
			await eventually(() => {
				for (const box of [onA, onB1, onB2]) expect(box.got.map(read)).toEqual(['hello']);
				expect(onOther.got.map(read)).toEqual(['marker']);
			});
			expect(onPrefixed.got).toEqual([]);
		});

		it('[B5] each publisher\'s messages on a channel arrive in the order it published them, also when not awaited one by one', async () => {
			const [p1, p2, s1, s2] = [await buses.connect(), await buses.connect(), await buses.connect(), await buses.connect()];
			const chat = channelName();
			const boxes = [inbox(), inbox()];
			await s1.subscribe(chat, boxes[0].listener);
			await s2.subscribe(chat, boxes[1].listener);
			const n = 300;
			const sends: Promise<void>[] = [];
			for (let i = 0; i < n; i++) {
				sends.push(p1.publish(chat, text(`p1 ${i}`)));
				sends.push(p2.publish(chat, text(`p2 ${i}`)));
			}
			await Promise.all(sends);
			await eventually(() => boxes.forEach((box) => expect(box.got).toHaveLength(2 * n)));
			for (const box of boxes) {
				const messages = box.got.map(read);
				for (const who of ['p1', 'p2']) {
					const mine = messages.filter((m) => m.startsWith(`${who} `)).map((m) => Number(m.slice(3)));
					expect(mine).toEqual(Array.from({ length: n }, (_, i) => i));
				}
			}
		});

		it('[B5] messages arrive byte for byte: empty, 0x00, 0xff, every byte value, 1 MiB of random bytes', async () => {
			const [a, b] = [await buses.connect(), await buses.connect()];
			const chat = channelName();
			const box = inbox();
			await b.subscribe(chat, box.listener);
			const big = new Uint8Array(randomBytes(1024 * 1024));
			big[0] = 0x00;
			big[big.length - 1] = 0xff;
			const every = Uint8Array.from({ length: 512 }, (_, i) => 255 - (i % 256));
			const view = new Uint8Array(randomBytes(64).buffer, 8, 16); // a view into a larger buffer: only the view is sent
			const sent = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([0xff]), every, big, view];
			for (const m of sent) await a.publish(chat, m);
			const before = Uint8Array.from(every);
			every.fill(7); // the caller may reuse its buffer once publish resolved
			await eventually(() => expect(box.got).toHaveLength(sent.length), 10_000);
			const expected = [sent[0], sent[1], sent[2], before, big, view];
			box.got.forEach((m, i) => {
				expect(m).toBeInstanceOf(Uint8Array);
				expect(m.byteLength).toBe(expected[i].byteLength);
				expect(same(m, expected[i])).toBe(true);
			});
		});

		it('[B5] after unsubscribe resolves, that listener gets nothing more; the others on the channel still do, and a new subscription works', async () => {
			const [a, b] = [await buses.connect(), await buses.connect()];
			const chat = channelName();
			const [gone, stays, later] = [inbox(), inbox(), inbox()];
			const unsubscribe = await b.subscribe(chat, gone.listener);
			await b.subscribe(chat, stays.listener);
			await a.publish(chat, text('1'));
			await eventually(() => expect(gone.got.map(read)).toEqual(['1']));
			await unsubscribe();
			await unsubscribe(); // twice is harmless
			await a.publish(chat, text('2'));
			await eventually(() => expect(stays.got.map(read)).toEqual(['1', '2']));
			const last = await b.subscribe(chat, later.listener);
			await last();
			await b.subscribe(chat, later.listener); // the channel's last subscriber left and came back
			await a.publish(chat, text('3'));
			await eventually(() => expect(later.got.map(read)).toEqual(['3']));
			expect(stays.got.map(read)).toEqual(['1', '2', '3']);
			expect(gone.got.map(read)).toEqual(['1']);
		});

		it('[B5] a closed bus refuses publish and subscribe, hears nothing more, and the other instances go on', async () => {
			const [a, b, c] = [await buses.connect(), await buses.connect(), await buses.connect()];
			const chat = channelName();
			const [onB, onC] = [inbox(), inbox()];
			await b.subscribe(chat, onB.listener);
			await c.subscribe(chat, onC.listener);
			await b.close();
			await b.close(); // idempotent
			await expect(b.publish(chat, text('x'))).rejects.toBeInstanceOf(BusClosedError);
			await expect(b.subscribe(chat, () => {})).rejects.toBeInstanceOf(BusClosedError);
			await a.publish(chat, text('after'));
			await eventually(() => expect(onC.got.map(read)).toEqual(['after']));
			expect(onB.got).toEqual([]);
		});

		it('[B5] a listener that throws is reported and the others still get the message', async () => {
			const errors: unknown[] = [];
			const [a, b] = [await buses.connect(), await buses.connect({ onError: (err) => errors.push(err) })];
			const chat = channelName();
			const box = inbox();
			await b.subscribe(chat, () => {
				throw new Error('listener broke');
			});
			await b.subscribe(chat, box.listener);
			await a.publish(chat, text('1'));
			await a.publish(chat, text('2'));
			await eventually(() => expect(box.got.map(read)).toEqual(['1', '2']));
			expect(errors.map((e) => (e as Error).message)).toEqual(['listener broke', 'listener broke']);
		});
	});
}
