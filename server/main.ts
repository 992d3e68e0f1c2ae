import { startServer } from './app-server';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seed';

// Wiring and start-up only.
const server = await startServer({
	port: Number(process.env.PORT ?? 3000),
	host: process.env.HOST ?? '0.0.0.0',
	dataDir: process.env.DATA_DIR,
	databaseUrl: process.env.DATABASE_URL,
	origin: process.env.ORIGIN ?? null,
	graceMs: process.env.DOC_GRACE_MS ? Number(process.env.DOC_GRACE_MS) : undefined
});

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
