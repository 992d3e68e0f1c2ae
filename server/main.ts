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

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.on(signal, async () => {
		if (closing) process.exit(1);
		closing = true;
		await server.close();
		process.exit(0);
	});
