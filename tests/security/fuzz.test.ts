import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { FUZZ_LIMITS, runFuzz } from './fuzz-harness';

// The seeded fuzz in the suite: a fixed seed and a few thousand cases (`npm run fuzz` runs
// 100,000+). The figures are printed; the assertions are on outcomes only, never on time.
const SEED = 20261125;
const CASES = Number(process.env.FUZZ_CASES ?? 3000);

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ syncLimits: FUZZ_LIMITS });
});
afterAll(async () => {
	await server?.stop();
});

describe('[security] fuzz of the sync gateway', () => {
	it(`[security] ${CASES} seeded hostile cases: no crash, no unauthorized change, documented close codes, honest clients converge`, async () => {
		const report = await runFuzz({ server, seed: SEED, cases: CASES, lanes: 2, casesPerChat: 250 });
		console.log(
			`[fuzz] seed ${report.seed}: tried ${report.tried}, rejected ${report.rejected}, accepted ${report.accepted}, ` +
				`crashes ${report.crashes}, unauthorized changes ${report.unauthorized}, non-append inserts ${report.nonAppends}, ` +
				`out-of-range times ${report.badTimes}, duplicate ids ${report.duplicateIds} (${report.chats} chats, ${report.seconds} s)`
		);
		expect(report.failures).toEqual([]);
		expect(report.tried).toBe(CASES);
		expect(report.crashes).toBe(0);
		expect(report.unauthorized).toBe(0);
		expect(report.unexpected).toBe(0);
		expect(report.divergent).toBe(0);
		expect(report.nonAppends).toBe(0);
		expect(report.badTimes).toBe(0);
		expect(report.duplicateIds).toBe(0);
		// Both outcomes are exercised, and every kind of case ran.
		expect(report.accepted).toBeGreaterThan(CASES / 10);
		expect(report.rejected).toBeGreaterThan(CASES / 2);
		expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(30);
	}, 120_000);
});
