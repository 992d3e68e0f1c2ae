import { expect } from 'vitest';
import type { ChaosCounts } from './chaos-core';

/** The suite's short runs, one server or a cluster: a few chats, the agent and the customer in each, typing fast. */
export const SUITE_LOAD = { chats: 3, clientsPerChat: 2, typeEveryMs: 40 } as const;

/** The outcomes every chaos run must have (never time): all kills done, nothing lost or doubled, all converged, no honest client refused. */
export function expectChaosHeld(report: ChaosCounts, kills: number): void {
	expect(report.failures).toEqual([]);
	expect(report.kills).toBe(kills);
	expect(report.lost).toBe(0);
	expect(report.duplicates).toBe(0);
	expect(report.converged).toBe(true);
	expect(report.refusedClients).toBe(0);
}
