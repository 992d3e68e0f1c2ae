import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQL } from 'drizzle-orm';
import { startServer, type RunningServer } from '../../server/app-server';
import type { Bus } from '../../server/bus/bus';
import type { SyncLimits } from '../../server/sync/limits';
import { connectRedisBus } from '../../server/bus/redis';
import { createTestDatabase, TEST_POSTGRES, POSTGRES_SKIPPED, type TestDatabase } from './postgres';
import { REDIS_SKIPPED, TEST_REDIS, TEST_REDIS_PREFIX } from './redis';
import { GENEROUS_CHAT_LIMITS, type TestServer } from './server';

/**
 * B5 (issue 13): the cluster suites need PostgreSQL and Redis (PARLEY_TEST_POSTGRES and
 * PARLEY_TEST_REDIS); without them they are skipped, and say why.
 */
export const CLUSTER_READY = Boolean(TEST_POSTGRES && TEST_REDIS);

export function sayWhyClusterIsSkipped() {
	if (!TEST_POSTGRES) console.info(`Cluster suites skipped. ${POSTGRES_SKIPPED}`);
	if (!TEST_REDIS) console.info(`Cluster suites skipped. ${REDIS_SKIPPED}`);
}

/** One instance of a test cluster: a real server on port 0, with what the API helpers need. */
export type ClusterServer = RunningServer & TestServer;

/**
 * `n` real server instances on port 0 sharing one fresh PostgreSQL database, one Redis (a channel
 * prefix of their own) and one data folder (the source-key secret and blobs, as a shared volume).
 * The first one migrates and seeds; the others start after it.
 */
export async function startCluster(n: number, opts: { clusterCheckMs?: number; now?: () => number; syncLimits?: Partial<SyncLimits> } = {}) {
	const database: TestDatabase = await createTestDatabase();
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-cluster-'));
	const prefix = `${TEST_REDIS_PREFIX}${randomBytes(3).toString('hex')}:`;
	const servers: ClusterServer[] = [];
	const start = async (name: string, bus?: Bus, own: { clusterCheckMs?: number } = {}) => {
		const server = await startServer({
			port: 0,
			host: '127.0.0.1',
			dataDir,
			databaseUrl: database.url,
			redisUrl: TEST_REDIS!,
			bus,
			redisPrefix: prefix,
			instance: name,
			clusterCheckMs: own.clusterCheckMs ?? opts.clusterCheckMs,
			now: opts.now,
			syncLimits: opts.syncLimits,
			silent: process.env.LOG_LEVEL === undefined,
			graceMs: 200,
			chatLimits: GENEROUS_CHAT_LIMITS
		});
		const extra = {
			dataDir,
			databaseUrl: database.url,
			rows: <T = any>(query: SQL) => server.storage.facts.all<T>(query),
			row: async <T = any>(query: SQL) => (await server.storage.facts.all<T>(query))[0],
			stop: () => server.close()
		};
		return Object.assign(server, extra) as unknown as ClusterServer;
	};
	for (let i = 0; i < n; i++) servers.push(await start(String.fromCharCode(65 + i)));
	return {
		servers,
		database,
		prefix,
		/** Starts one more instance (a restart rejoining), on a bus of the caller's if given. */
		add: async (name: string, bus?: Bus, own: { clusterCheckMs?: number } = {}) => {
			const s = await start(name, bus, own);
			servers.push(s);
			return s;
		},
		async stop() {
			await Promise.allSettled(servers.map((s) => s.close()));
			await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/**
 * A Redis bus whose deliveries to this instance can be held back (`pause`) and let go (`resume`):
 * an instance that has not heard of what another committed yet, on demand.
 */
export async function pausableBus(prefix: string, name: string) {
	const inner = await connectRedisBus({ url: TEST_REDIS!, prefix, name });
	let paused = false;
	let dropping = false;
	const held: (() => void)[] = [];
	const bus: Bus = {
		publish: (channel, message) => inner.publish(channel, message),
		subscribe: (channel, onMessage) =>
			inner.subscribe(channel, (m) => {
				const copy = m.slice();
				if (dropping) return; // lost, as pub/sub loses what a cut-off subscriber misses
				if (paused) held.push(() => onMessage(copy));
				else onMessage(copy);
			}),
		onReconnect: (listener) => inner.onReconnect(listener),
		close: () => inner.close()
	};
	return {
		bus,
		pause: () => void (paused = true),
		/** Loses every message meant for this instance until `keep` (a Redis outage, as it sees it). */
		drop: () => void (dropping = true),
		keep: () => void (dropping = false),
		resume: () => {
			paused = false;
			for (const deliver of held.splice(0)) deliver();
		}
	};
}
