// Crash the authority: `npm run chaos -- [--kills 25] [--chats 10] [--clients 3] [--seed N]`.
// With `--instances N` (N ≥ 2): a cluster of N instances on PostgreSQL and Redis (B5) behind a
// balancer, one instance killed at a time (PARLEY_TEST_POSTGRES / PARLEY_TEST_REDIS, or the local
// defaults postgres://postgres@127.0.0.1:5432/postgres and redis://127.0.0.1:6379).
// Real y-websocket clients type into live chats while the server (a child process on the same
// SQLite database) is killed with SIGKILL at random moments and restarted; they keep typing while
// it is down. Then: every message typed or seen must be in the restarted server, live and in its
// log after one more kill, and every client must have converged. Prints the figures; exits 1 on loss.
import { chaosHeld } from '../tests/security/chaos-core';
import { runChaos } from '../tests/security/chaos-harness';
import { runClusterChaos } from '../tests/cluster/cluster-chaos-harness';

function parseArgs(argv: string[]) {
	const opts = { kills: 25, chats: 10, clients: 3, seed: 20261125, typeEveryMs: 20, instances: 1 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
		const value = () => Number(inline ?? argv[++i]);
		if (flag === '--kills') opts.kills = value();
		else if (flag === '--chats') opts.chats = value();
		else if (flag === '--clients') opts.clients = value();
		else if (flag === '--seed') opts.seed = value();
		else if (flag === '--type-every-ms') opts.typeEveryMs = value();
		else if (flag === '--instances') opts.instances = value();
		else if (flag === '--help' || flag === '-h') {
			console.log('npm run chaos -- [--kills 25] [--chats 10] [--clients 3] [--seed 20261125] [--type-every-ms 20] [--instances 1]');
			process.exit(0);
		} else throw new Error(`unknown option ${argv[i]} (try --help)`);
	}
	for (const [k, v] of Object.entries(opts)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} needs a positive integer`);
	if (opts.clients < 2) throw new Error('--clients needs at least 2 (the agent and the customer)');
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
/** What both kinds of run share; each adds its up and down times. */
const load = {
	seed: opts.seed,
	kills: opts.kills,
	chats: opts.chats,
	clientsPerChat: opts.clients,
	typeEveryMs: opts.typeEveryMs,
	log: (line: string) => process.stderr.write(`[chaos] ${line}\n`)
};
if (opts.instances > 1) await cluster();
process.stderr.write(`[chaos] ${opts.kills} kills, ${opts.chats} chats × ${opts.clients} clients, a message every ${opts.typeEveryMs} ms, seed ${opts.seed}\n`);
const report = await runChaos({ ...load, upMs: [200, 3000], downMs: [50, 1500] });
console.log(`Chaos: SIGKILL of the server while ${opts.chats * opts.clients} clients type, seed ${report.seed}, ${report.seconds} s

kills survived:      ${report.kills} (${report.restarts} restarts, plus the final kill before reading the log)
messages sent:       ${report.sent} (${report.sentWhileDown} typed while the server was down)
seen at kills:       ${report.seenAtKills}
lost:                ${report.lost}
duplicates:          ${report.duplicates}
clients converged:   ${report.converged}
honest clients refused: ${report.refusedClients}`);
if (report.failures.length) console.log(`\nfailures:\n${report.failures.map((f) => `  ${f}`).join('\n')}`);
console.log(JSON.stringify(report));
process.exit(chaosHeld(report) ? 0 : 1);

/** B5: the same against a cluster; prints the figures, exits 1 on loss. */
async function cluster(): Promise<never> {
	const postgres = process.env.PARLEY_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/postgres';
	const redis = process.env.PARLEY_TEST_REDIS || 'redis://127.0.0.1:6379';
	const clients = opts.chats * opts.clients;
	process.stderr.write(`[chaos] cluster of ${opts.instances}: ${opts.kills} kills, ${opts.chats} chats × ${opts.clients} clients, seed ${opts.seed}\n`);
	const r = await runClusterChaos({ ...load, instances: opts.instances, upMs: [300, 2000], downMs: [200, 2500], postgres, redis });
	console.log(`Cluster chaos: SIGKILL of one of ${r.instances} instances at a time while ${clients} clients type through a balancer, seed ${r.seed}, ${r.seconds} s

kills survived:        ${r.kills}
messages sent:         ${r.sent}
seen at kills:         ${r.seenAtKills}
client reconnections:  ${r.reconnects} (each to whichever instance the balancer picked)
lost:                  ${r.lost}
duplicates:            ${r.duplicates}
all converged:         ${r.converged} (every client and every instance)
log replays to live:   ${r.replayMatches}
honest clients refused: ${r.refusedClients}`);
	if (r.failures.length) console.log(`\nfailures:\n${r.failures.map((f) => `  ${f}`).join('\n')}`);
	console.log(JSON.stringify(r));
	process.exit(chaosHeld(r) && r.replayMatches ? 0 : 1);
}
