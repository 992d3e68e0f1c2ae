// The server as a child process for the crash tests: `node --import tsx tests/security/chaos-server.ts`
// with DATA_DIR and PORT (0 = any) in the environment. Prints "PORT <n>" once listening. It is
// killed with SIGKILL, never asked to stop: nothing here may rely on a clean shutdown.
import { startServer } from '../../server/app-server';
import { GENEROUS_CHAT_LIMITS } from '../helpers/server';

const server = await startServer({
	port: Number(process.env.PORT ?? 0),
	host: '127.0.0.1',
	dataDir: process.env.DATA_DIR,
	silent: true,
	graceMs: 500,
	// Many chats from 127.0.0.1 in a few seconds: the crash tests are not about the chat limits.
	chatLimits: GENEROUS_CHAT_LIMITS
});
process.stdout.write(`PORT ${server.port}\n`);
