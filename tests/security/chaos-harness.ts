import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../server/storage/open';
import { seededRandom } from '../helpers/seeded-random';
import { loadedIds, newChaosCounts, runChaosCore, secondsSince, type ChaosCounts, type ChaosLoad } from './chaos-core';
import { ChaosInstance } from './chaos-instance';

// Durability under crashes (SPEC "Always": no accepted message is ever lost, also across a
// server crash). Real y-websocket clients type into live chats while the server, a child
// process, is killed with SIGKILL at random moments and restarted on the same database; they
// keep typing while it is down. In the end every message any client typed or saw must be in the
// restarted server (live, and in its log after one more kill), and every client must have
// converged on the server's document. The run itself is chaos-core.ts.

export type ChaosOptions = ChaosLoad;

export interface ChaosReport extends ChaosCounts {
	restarts: number;
	sentWhileDown: number;
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
	const started = performance.now();
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-chaos-'));
	const report: ChaosReport = { ...newChaosCounts(opts.seed), restarts: 0, sentWhileDown: 0 };
	// The store the child opens on DATA_DIR (a SQLite file: the crash is a SIGKILL of its process).
	const server = new ChaosInstance('server', { DATA_DIR: dataDir });
	try {
		await runChaosCore(opts, seededRandom(opts.seed), report, {
			instances: [server],
			openStorage: () => openStorage({ dataDir }),
			start: async () => {
				await server.start();
				return server.url;
			},
			victim: () => server,
			restart: async (victim, downMs) => {
				await new Promise((r) => setTimeout(r, downMs));
				await victim.start();
				report.restarts++;
			},
			settle: async () => {},
			storedIds: (log, chat) => loadedIds(log, chat),
			countFinalKill: true,
			onSent: () => {
				if (!server.up) report.sentWhileDown++;
			}
		});
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
	report.seconds = secondsSince(started);
	return report;
}
