import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { fuzzHolds } from './fuzz-check';
import { FUZZ_LIMITS } from './fuzz-harness';

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
		const report = await fuzzHolds('fuzz', { server, seed: SEED, cases: CASES, lanes: 2, casesPerChat: 250 });
		// Both outcomes are exercised (accepted: fuzzHolds), and every kind of case ran.
		expect(report.rejected).toBeGreaterThan(CASES / 2);
		expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(30);
	}, 120_000);
});
