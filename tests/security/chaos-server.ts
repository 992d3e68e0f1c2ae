// The server as a child process for the crash tests: `node --import tsx tests/security/chaos-server.ts`
// with DATA_DIR and PORT (0 = any) in the environment (and CHILD_DATABASE_URL to run on PostgreSQL). Prints "PORT <n>" once listening. It is
// killed with SIGKILL, never asked to stop: nothing here may rely on a clean shutdown.
// With PARLEY_TEST_FAULT_FILE set, the process kills itself (SIGKILL) right after a decision's
// commit and before its broadcasts whenever that file exists (the outbox crash test arms it).
import { existsSync } from 'node:fs';
import { startServer } from '../../server/app-server';
import { GENEROUS_CHAT_LIMITS } from '../helpers/server';
import { NO_MESSAGE_BUDGET } from '../../server/sync/limits';

const faultFile = process.env.PARLEY_TEST_FAULT_FILE;
const server = await startServer({
	port: Number(process.env.PORT ?? 0),
	host: '127.0.0.1',
	dataDir: process.env.DATA_DIR,
	// The crash tests on PostgreSQL (the `postgres` project): the test's own database.
	databaseUrl: process.env.CHILD_DATABASE_URL || undefined,
	silent: true,
	graceMs: 500,
	// Many chats from 127.0.0.1 in a few seconds: the crash tests are not about the chat limits.
	chatLimits: GENEROUS_CHAT_LIMITS,
	// The chaos clients type faster than people for as long as a slow machine takes to restart the
	// server (the budgets have their own tests; here they would only refuse the typists).
	syncLimits: process.env.CHAOS_NO_MESSAGE_BUDGET ? NO_MESSAGE_BUDGET : undefined,
	faults: faultFile ? { afterDecisionCommit: () => existsSync(faultFile) && process.kill(process.pid, 'SIGKILL') } : undefined
});
process.stdout.write(`PORT ${server.port}\n`);
