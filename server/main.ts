import { startServer } from './app-server';
import { ConfigError, loadConfig, type Config } from './config';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seed';

// Wiring and start-up only. The environment is read once, by loadConfig (README "Configuration").
let config: Config;
try {
	config = loadConfig();
} catch (err) {
	if (!(err instanceof ConfigError)) throw err;
	// Human words for whoever started it, like the banner below: the start stops here.
	console.error(`Parley did not start: ${err.message}`);
	process.exit(1);
}
const server = await startServer({ config });

console.log(`
  Customer chat:  ${server.url}/chat
  Agent console:  ${server.url}/agent
  Demo logins (password "${DEMO_PASSWORD}"):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(22)} ${u.role}`).join('\n')}
`);

// B5, a rolling restart: readiness goes 503 at once, the sockets close (4503) DRAIN_SECONDS later,
// once the balancer has stopped sending new clients here. A second signal stops at once.
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.on(signal, async () => {
		if (closing) process.exit(1);
		closing = true;
		server.drain();
		if (config.drainSeconds > 0) {
			console.log(`Draining: not ready; closing in ${config.drainSeconds} s (${signal} again to stop now).`);
			await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
		}
		await server.close();
		process.exit(0);
	});
