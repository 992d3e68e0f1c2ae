import { expect } from 'vitest';
import { runFuzz, type FuzzOptions, type FuzzReport } from './fuzz-harness';

/**
 * The seeded fuzz as a test, on one server or a cluster: runs it, prints the figures under
 * `label`, and asserts the outcomes every run must have (never time): nothing crashed, nothing
 * unauthorized or unexpected got through, the honest clients converged, T1/T2 held, and a fair
 * share of the cases was accepted. Returns the report for the caller's own checks.
 */
export async function fuzzHolds(label: string, opts: FuzzOptions): Promise<FuzzReport> {
	const report = await runFuzz(opts);
	console.log(
		`[${label}] seed ${report.seed}: tried ${report.tried}, rejected ${report.rejected}, accepted ${report.accepted}, ` +
			`crashes ${report.crashes}, unauthorized changes ${report.unauthorized}, divergent ${report.divergent}, non-append inserts ${report.nonAppends}, ` +
			`out-of-range times ${report.badTimes}, duplicate ids ${report.duplicateIds} (${report.chats} chats, ${report.seconds} s)`
	);
	expect(report.failures).toEqual([]);
	expect(report.tried).toBe(opts.cases);
	expect(report.crashes).toBe(0);
	expect(report.unauthorized).toBe(0);
	expect(report.unexpected).toBe(0);
	expect(report.divergent).toBe(0);
	expect(report.nonAppends).toBe(0);
	expect(report.badTimes).toBe(0);
	expect(report.duplicateIds).toBe(0);
	expect(report.accepted).toBeGreaterThan(opts.cases / 10);
	return report;
}
