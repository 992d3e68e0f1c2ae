// The long fuzz of the sync gateway: `npm run fuzz -- [--cases 100000] [--seed N] [--lanes 4]`.
// The same seeded cases and checks as tests/security/fuzz.test.ts (tests/security/fuzz-harness.ts),
// many more of them, frames above the size limit included, against a real server on port 0.
// Prints the figures; exits 1 when anything crashed, got in, or did not converge.
import { startTestServer } from '../tests/helpers/server';
import { FUZZ_LIMITS, runFuzz } from '../tests/security/fuzz-harness';

function parseArgs(argv: string[]) {
	const opts = { cases: 100_000, seed: 20261125, lanes: 4 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
		const value = () => Number(inline ?? argv[++i]);
		if (flag === '--cases') opts.cases = value();
		else if (flag === '--seed') opts.seed = value();
		else if (flag === '--lanes') opts.lanes = value();
		else if (flag === '--help' || flag === '-h') {
			console.log('npm run fuzz -- [--cases 100000] [--seed 20261125] [--lanes 4]');
			process.exit(0);
		} else throw new Error(`unknown option ${argv[i]} (try --help)`);
	}
	for (const [k, v] of Object.entries(opts)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} needs a positive integer`);
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
const server = await startTestServer({ graceMs: 1000, syncLimits: FUZZ_LIMITS });
let done = 0;
const step = Math.max(1000, Math.floor(opts.cases / 20));
process.stderr.write(`[fuzz] ${opts.cases} cases, seed ${opts.seed}, ${opts.lanes} lanes, server ${server.url}\n`);
const report = await runFuzz({
	server,
	seed: opts.seed,
	cases: opts.cases,
	lanes: opts.lanes,
	casesPerChat: 250,
	oversized: true,
	progress: (n) => {
		done += n;
		if (done % step === 0) process.stderr.write(`[fuzz] ${done}/${opts.cases}\n`);
	}
});
await server.stop();

const kinds = Object.entries(report.byKind)
	.sort(([a], [b]) => a.localeCompare(b))
	.map(([k, v]) => `  ${k.padEnd(15)} ${String(v.tried).padStart(7)} tried ${String(v.rejected).padStart(7)} rejected ${String(v.accepted).padStart(7)} accepted`)
	.join('\n');
console.log(`Fuzz of the sync gateway, seed ${report.seed}, ${report.chats} chats, ${report.seconds} s
${kinds}
close codes: ${Object.entries(report.closeCodes).map(([c, n]) => `${c}×${n}`).join(', ')}

cases tried:          ${report.tried}
rejected:             ${report.rejected}
accepted:             ${report.accepted}
crashes:              ${report.crashes}
unauthorized changes: ${report.unauthorized}
unexpected outcomes:  ${report.unexpected}
honest clients diverged / log replay differs: ${report.divergent}
non-append inserts:   ${report.nonAppends}
out-of-range times:   ${report.badTimes}
duplicate ids:        ${report.duplicateIds}`);
if (report.failures.length) console.log(`\nfirst failures:\n${report.failures.map((f) => `  ${f}`).join('\n')}`);
console.log(JSON.stringify({ ...report, failures: report.failures.length }));
const bad = report.crashes + report.unauthorized + report.unexpected + report.divergent + report.nonAppends + report.badTimes + report.duplicateIds;
process.exit(bad === 0 ? 0 : 1);
