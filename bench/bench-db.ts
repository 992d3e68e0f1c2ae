// Prepares a fresh database for a bench run, before the server starts: migrate + demo seed,
// then bench agents (billing, capacity 3, available) with sessions created directly, so the
// bench does not pay one scrypt login per agent. On either store: the SQLite file in DATA_DIR,
// or a PostgreSQL database made for the run (benchDatabase).
import { eq } from 'drizzle-orm';
import { createSession, sessionLifetimeMs } from '../server/auth/sessions';
import { seedDemo } from '../server/db/seed';
import { openStorage } from '../server/storage/open';
import { createDatabase, type TestDatabase } from '../tests/helpers/postgres';

export interface BenchAgent {
	id: string;
	name: string;
	/** Its first session's token. */
	token: string;
	/** Every session's token (several when one chat has more agent sockets than a session may open). */
	tokens: string[];
}

/** Where the server of a run keeps its data: DATA_DIR, and on PostgreSQL the database's URL. */
export interface BenchStore {
	dataDir: string;
	databaseUrl?: string;
	/** The cluster point: the Redis its instances fan out on, under a prefix of the run's own. */
	redis?: { url: string; prefix: string };
}

export const AGENT_CAPACITY = 3;

/** The PostgreSQL server the benchmarks use unless told otherwise (`--postgres URL`). */
export const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The Redis the cluster point fans out on unless told otherwise (`--redis URL`). */
export const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/** A fresh database for one run on the PostgreSQL server at `base`; `drop` removes it. */
export function benchDatabase(base: string): Promise<TestDatabase> {
	return createDatabase(base, 'parley_bench');
}

export async function prepareDatabase(where: BenchStore, agentCount: number, sessionsPerAgent = 1): Promise<BenchAgent[]> {
	const { port: storage } = await openStorage(where);
	try {
		await seedDemo(storage.facts, storage.log);
		// Reuse one existing scrypt hash: nobody logs in with a password during the bench.
		const { db, t } = storage.facts;
		const hash = (await db.select({ h: t.users.passwordHash }).from(t.users).where(eq(t.users.id, 'ada')).limit(1))[0]?.h;
		if (!hash) throw new Error('seedDemo did not create ada');
		const now = Date.now();
		const lifetime = sessionLifetimeMs();
		const agents: BenchAgent[] = Array.from({ length: agentCount }, (_, i) => {
			const n = String(i + 1).padStart(5, '0');
			return { id: `bench-a${n}`, name: `Bench Agent ${n}`, token: '', tokens: [] };
		});
		// One transaction: thousands of rows, one commit.
		await storage.transaction(async (tx) => {
			const { db, t } = tx.facts;
			for (let i = 0; i < agents.length; i += 500)
				await db.insert(t.users).values(
					agents.slice(i, i + 500).map((a) => ({
						id: a.id,
						email: `${a.id}@bench.parley.test`,
						name: a.name,
						role: 'agent' as const,
						passwordHash: hash,
						permissions: [],
						skills: ['billing'],
						capacity: AGENT_CAPACITY,
						presence: 'available' as const,
						chatConfigurationId: 'default'
					}))
				);
			for (const a of agents)
				for (let s = 0; s < sessionsPerAgent; s++) a.tokens.push((await createSession(tx.facts, a.id, now, lifetime)).token);
		});
		for (const a of agents) a.token = a.tokens[0];
		return agents;
	} finally {
		await storage.close();
	}
}
