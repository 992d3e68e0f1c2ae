import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../server/storage/open';
import { createDatabase } from '../helpers/postgres';
import { seededRandom } from '../helpers/seeded-random';
import { newChaosCounts, replayedIds, runChaosCore, secondsSince, type ChaosCounts, type ChaosLoad } from '../security/chaos-core';
import { ChaosInstance } from '../security/chaos-instance';

// B5 (issue 13): crashes in a cluster. N instances (child processes) on one PostgreSQL database
// and one Redis, behind a load balancer (a TCP proxy here: each new connection goes to a random
// instance that is up). Real y-websocket clients type into live chats while instances are
// SIGKILLed at random and restarted; a killed instance's clients reconnect through the balancer
// to another one and resync. At least one instance is always up. In the end every message typed
// or seen is on every instance, every client converged, and the log (after killing them all)
// holds each message once and replays to what the instances held. The run itself is
// tests/security/chaos-core.ts, as for one server.

export interface ClusterChaosOptions extends ChaosLoad {
	instances: number;
	/** PostgreSQL server (a base URL whose user may create databases) and Redis. */
	postgres: string;
	redis: string;
}

export interface ClusterChaosReport extends ChaosCounts {
	instances: number;
	/** Client reconnections through the balancer (to whichever instance it picked). */
	reconnects: number;
	/** Whether the log, replayed, gives each document the instances held. */
	replayMatches: boolean;
}

/** A load balancer without stickiness: each new connection to a random instance that is up. */
function balancer(instances: ChaosInstance[], rnd: () => number): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
	const sockets = new Set<Socket>();
	const server = createServer((client) => {
		const live = instances.filter((i) => i.up);
		if (live.length === 0) return client.destroy();
		const target = live[Math.floor(rnd() * live.length)];
		const upstream = tcpConnect(target.port, '127.0.0.1');
		for (const s of [client, upstream]) {
			sockets.add(s);
			s.on('close', () => sockets.delete(s));
			s.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		client.pipe(upstream).pipe(client);
	});
	return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, port: (server.address() as { port: number }).port, sockets })));
}

export async function runClusterChaos(opts: ClusterChaosOptions): Promise<ClusterChaosReport> {
	const started = performance.now();
	const rnd = seededRandom(opts.seed);
	const report: ClusterChaosReport = { ...newChaosCounts(opts.seed), instances: opts.instances, reconnects: 0, replayMatches: false };
	const database = await createDatabase(opts.postgres, 'parley_chaos');
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-cluster-chaos-'));
	const prefix = `parley-chaos-${process.pid}-${randomBytes(3).toString('hex')}:`;
	const env = { DATA_DIR: dataDir, CHILD_DATABASE_URL: database.url, REDIS_URL: opts.redis, REDIS_PREFIX: prefix };
	const instances = Array.from({ length: opts.instances }, (_, i) => new ChaosInstance(String.fromCharCode(65 + i), env));
	const restarts: Promise<void>[] = [];
	let lb: Awaited<ReturnType<typeof balancer>> | null = null;
	try {
		const outcome = await runChaosCore(opts, rnd, report, {
			instances,
			openStorage: () => openStorage({ databaseUrl: database.url, dataDir }),
			start: async () => {
				await Promise.all(instances.map((i) => i.start()));
				lb = await balancer(instances, rnd);
				return `http://127.0.0.1:${lb.port}`;
			},
			// A random instance, never the last one up.
			victim: () => {
				const live = instances.filter((i) => i.up);
				return live.length < 2 ? null : live[Math.floor(rnd() * live.length)];
			},
			restart: async (victim, downMs) => {
				restarts.push(new Promise((r) => setTimeout(r, downMs)).then(() => victim.start()));
			},
			settle: async () => {
				await Promise.all(restarts);
			},
			storedIds: replayedIds,
			checkReplay: true,
			onReconnect: () => report.reconnects++
		});
		report.replayMatches = outcome.replayMatches;
	} finally {
		const open = lb as Awaited<ReturnType<typeof balancer>> | null;
		if (open) {
			for (const s of open.sockets) s.destroy();
			await new Promise((ok) => open.server.close(ok));
		}
		rmSync(dataDir, { recursive: true, force: true });
		await database.drop();
	}
	report.seconds = secondsSince(started);
	return report;
}
