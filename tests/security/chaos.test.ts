import { describe, expect, it } from 'vitest';
import { expectChaosHeld, SUITE_LOAD } from './chaos-check';
import { runChaos } from './chaos-harness';

// A few SIGKILLs of a child-process server while real clients type (`npm run chaos` does 20+).
// No timing is asserted: the checks are on what survived.
describe('[durability] crashes lose nothing', () => {
	it('[durability] SIGKILL at random moments while clients type (also while it is down): nothing seen or typed is lost, everyone converges', async () => {
		const report = await runChaos({ ...SUITE_LOAD, seed: 20261125, kills: 3, upMs: [300, 1200], downMs: [100, 600] });
		console.log(
			`[chaos] kills ${report.kills}, restarts ${report.restarts}, messages sent ${report.sent} (${report.sentWhileDown} while down), ` +
				`lost ${report.lost}, duplicates ${report.duplicates}, converged ${report.converged} (${report.seconds} s)`
		);
		expectChaosHeld(report, 4); // the 3 at random and the last one before reading the log
		expect(report.sentWhileDown).toBeGreaterThan(0);
	}, 180_000);
});
