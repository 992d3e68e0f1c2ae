import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedisBus } from '../../server/bus/redis';
import { eventually } from '../helpers/server';
import { sayWhyRedisIsSkipped, TEST_REDIS, TEST_REDIS_PREFIX } from '../helpers/redis';
import { busContract, busesFor, channelName, inbox, type BusFactory } from './bus.contract';

// The bus contract on Redis (PARLEY_TEST_REDIS), with this run's channel prefix, and what only a
// network bus has: a dropped subscriber connection comes back, subscriptions and all, and says so.
sayWhyRedisIsSkipped();

describe.skipIf(!TEST_REDIS)('bus: Redis', () => {
	const url = TEST_REDIS!;
	let admin: Redis;
	let instances = 0;
	const names: string[] = [];
	const factory = (): BusFactory => ({
		connect: (options) => {
			const name = `${TEST_REDIS_PREFIX}${++instances}`;
			names.push(name);
			return connectRedisBus({ url, prefix: TEST_REDIS_PREFIX, name, ...options });
		}
	});

	beforeAll(async () => {
		admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		try {
			await admin.connect();
			await admin.ping();
		} catch (err) {
			admin.disconnect();
			throw new Error(`PARLEY_TEST_REDIS=${url} is set, but Redis cannot be reached there: ${(err as Error).message}`, { cause: err });
		}
	});
	afterAll(async () => {
		await admin?.quit();
	});

	/** Kills the subscriber connection of the instance `name`, as Redis does to a lagging subscriber. */
	async function killSubscriber(name: string) {
		const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
		const id = list.split('\n').map((line) => /\bid=(\d+) .*\bname=(\S+)/.exec(line)).find((m) => m?.[2] === `${name}-sub`)?.[1];
		expect(id, `no pub/sub connection named ${name}-sub`).toBeDefined();
		expect(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub', 'ID', id!)).toBe(1);
	}

	busContract(factory);

	describe('reconnects', () => {
		const buses = busesFor(factory);

		it('[B5] a killed subscriber connection comes back subscribed, fires onReconnect, and delivery resumes', async () => {
			const publisher = await buses.connect();
			const subscriber = await buses.connect();
			const name = names[names.length - 1];
			const [chat, agent] = [channelName(), channelName('agent')];
			const [onChat, onAgent] = [inbox(), inbox()];
			await subscriber.subscribe(chat, onChat.listener);
			await subscriber.subscribe(agent, onAgent.listener);
			let reconnects = 0;
			subscriber.onReconnect(() => reconnects++);
			const mark = new TextEncoder().encode('before');
			await publisher.publish(chat, mark);
			await eventually(() => expect(onChat.got).toHaveLength(1));

			for (let round = 1; round <= 2; round++) {
				await killSubscriber(name);
				await eventually(() => expect(reconnects).toBe(round), 10_000);
				// onReconnect comes after the subscriptions are back: a publish now is not lost.
				await publisher.publish(chat, new Uint8Array([round]));
				await publisher.publish(agent, new Uint8Array([round, 0xff]));
				await eventually(() => {
					expect(onChat.got.slice(1).map((m) => [...m])).toEqual(Array.from({ length: round }, (_, i) => [i + 1]));
					expect(onAgent.got.map((m) => [...m])).toEqual(Array.from({ length: round }, (_, i) => [i + 1, 0xff]));
				});
			}
		});

		it('[B5] a removed onReconnect listener is not called', async () => {
			const subscriber = await buses.connect();
			const name = names[names.length - 1];
			await subscriber.subscribe(channelName(), () => {});
			const fired: string[] = [];
			const off = subscriber.onReconnect(() => fired.push('removed'));
			subscriber.onReconnect(() => fired.push('kept'));
			off();
			await killSubscriber(name);
			await eventually(() => expect(fired).toEqual(['kept']), 10_000);
		});
	});
});
