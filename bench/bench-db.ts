// Prepares a fresh database for a bench run, before the server starts: migrate + demo seed,
// then bench agents (billing, capacity 3, available) with sessions created directly, so the
// bench does not pay one scrypt login per agent.
import { eq } from 'drizzle-orm';
import { openStore } from '../server/db/client';
import { seedDemo } from '../server/db/seed';
import { users } from '../server/db/schema';
import { createSession, sessionLifetimeMs } from '../server/auth/sessions';

export interface BenchAgent {
	id: string;
	name: string;
	token: string;
}

export const AGENT_CAPACITY = 3;

export async function prepareDatabase(file: string, agentCount: number): Promise<BenchAgent[]> {
	const store = openStore(file);
	try {
		await seedDemo(store.db);
		// Reuse one existing scrypt hash: nobody logs in with a password during the bench.
		const hash = store.db.select({ h: users.passwordHash }).from(users).where(eq(users.id, 'ada')).get()?.h;
		if (!hash) throw new Error('seedDemo did not create ada');
		const now = Date.now();
		const lifetime = sessionLifetimeMs();
		const agents: BenchAgent[] = [];
		store.sqlite.transaction(() => {
			for (let i = 0; i < agentCount; i++) {
				const n = String(i + 1).padStart(5, '0');
				const id = `bench-a${n}`;
				const name = `Bench Agent ${n}`;
				store.db
					.insert(users)
					.values({
						id,
						email: `${id}@bench.parley.test`,
						name,
						role: 'agent',
						passwordHash: hash,
						permissions: [],
						skills: ['billing'],
						capacity: AGENT_CAPACITY,
						presence: 'available',
						chatConfigurationId: 'default'
					})
					.run();
				const { token } = createSession(store.db, id, now, lifetime);
				agents.push({ id, name, token });
			}
		})();
		return agents;
	} finally {
		store.close();
	}
}
