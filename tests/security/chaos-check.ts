import { expect } from 'vitest';
import type { ChaosCounts } from './chaos-core';

/** The outcomes every chaos run must have (never time): all kills done, nothing lost or doubled, all converged, no honest client refused. */
export function expectChaosHeld(report: ChaosCounts, kills: number): void {
	expect(report.failures).toEqual([]);
	expect(report.kills).toBe(kills);
	expect(report.lost).toBe(0);
	expect(report.duplicates).toBe(0);
	expect(report.converged).toBe(true);
	expect(report.refusedClients).toBe(0);
}
