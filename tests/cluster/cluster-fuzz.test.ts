import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_LIMITS, runFuzz } from '../security/fuzz-harness';
import { CLUSTER_READY, sayWhyClusterIsSkipped, startCluster } from '../helpers/cluster';

// B5 (issue 13): the seeded fuzz against a two-instance cluster. Hostile sockets go to A, the
// honest clients sit on B: a hostile update is refused on the instance that receives it, what A
// accepts reaches B's clients through the fan-out, and everyone converges on A's document.
sayWhyClusterIsSkipped();
const CASES = Number(process.env.FUZZ_CASES ?? 600);

describe.skipIf(!CLUSTER_READY)('[B5] fuzz of a two-instance cluster', () => {
	let cluster: Awaited<ReturnType<typeof startCluster>>;
	beforeAll(async () => {
		cluster = await startCluster(2, { syncLimits: FUZZ_LIMITS });
	});
	afterAll(async () => {
		await cluster?.stop();
	});

	it(`[B5 fuzz] ${CASES} seeded hostile cases on A, honest clients on B: no crash, no unauthorized change, all converge`, async () => {
		const [a, b] = cluster.servers;
		const report = await runFuzz({ server: a, honestServer: b, seed: 20261207, cases: CASES, lanes: 2, casesPerChat: 150 });
		console.log(
			`[cluster fuzz] tried ${report.tried}, rejected ${report.rejected}, accepted ${report.accepted}, crashes ${report.crashes}, ` +
				`unauthorized ${report.unauthorized}, divergent ${report.divergent} (${report.chats} chats, ${report.seconds} s)`
		);
		expect(report.failures).toEqual([]);
		expect(report.tried).toBe(CASES);
		expect(report.crashes).toBe(0);
		expect(report.unauthorized).toBe(0);
		expect(report.unexpected).toBe(0);
		expect(report.divergent).toBe(0);
		expect(report.nonAppends).toBe(0);
		expect(report.duplicateIds).toBe(0);
		expect(report.accepted).toBeGreaterThan(CASES / 10);
	}, 240_000);
});
