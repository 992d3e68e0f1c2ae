import { sql } from 'drizzle-orm';
import { normalizeName } from '../../src/lib/core/names';
import { hashPassword } from '../auth/passwords';
import type { Db } from './client';
import { chatConfigurations, topics, users } from './schema';
import { PAT, seedHistory } from './seed-history';

export const DEMO_PASSWORD = 'parley-demo';

export const DEMO_USERS = [
	{ id: 'ada', email: 'ada@parley.test', name: 'Ada', role: 'agent', skills: ['billing', 'tech'], capacity: 3, config: 'default' },
	{ id: 'grace', email: 'grace@parley.test', name: 'Grace', role: 'agent', skills: ['billing'], capacity: 2, config: 'default' },
	{ id: 'linus', email: 'linus@parley.test', name: 'Linus', role: 'agent', skills: ['tech'], capacity: 2, config: 'default' },
	{ id: 'margaret', email: 'margaret@parley.test', name: 'Margaret', role: 'agent', skills: ['billing', 'tech'], capacity: 2, config: 'restricted' },
	{ id: 'admin', email: 'admin@parley.test', name: 'Admin', role: 'admin', skills: [], capacity: 0, config: null, permissions: ['customize_application'] },
	{ id: 'audit', email: 'audit@parley.test', name: 'Auditor', role: 'auditor', skills: [], capacity: 0, config: null }
] as const;

/** T2: names enter through the seed too; they must be what the API would store. */
function assertName(name: string) {
	const result = normalizeName(name);
	if (!result.ok || result.value !== name) throw new Error(`seed: the name ${JSON.stringify(name)} ${result.ok ? 'is not normalized' : result.message}`);
}

/** The demo organisation. Idempotent: rows that exist (by id) are left as they are. */
export async function seedDemo(db: Db) {
	for (const name of [...DEMO_USERS.map((u) => u.name), PAT.name]) assertName(name);
	db.insert(chatConfigurations)
		.values([
			{ id: 'default', name: 'Default', conferenceEnabled: true, requestTimeoutSec: 60 },
			{ id: 'restricted', name: 'Restricted', conferenceEnabled: false, requestTimeoutSec: 60 }
		])
		.onConflictDoNothing()
		.run();
	db.insert(topics)
		.values([
			{ id: 'billing', name: 'Billing', skill: 'billing', routing: 'omni' },
			{ id: 'technical', name: 'Technical', skill: 'tech', routing: 'button' }
		])
		.onConflictDoNothing()
		.run();
	const existing = new Set(db.select({ id: users.id }).from(users).all().map((u) => u.id));
	const missing = DEMO_USERS.filter((u) => !existing.has(u.id));
	const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
	missing.forEach((u, i) =>
		db
			.insert(users)
			.values({
				id: u.id,
				email: u.email,
				name: u.name,
				role: u.role,
				passwordHash: hashes[i],
				permissions: 'permissions' in u ? [...u.permissions] : [],
				skills: [...u.skills],
				capacity: u.capacity,
				chatConfigurationId: u.config
			})
			.onConflictDoNothing()
			.run()
	);
	seedHistory(db);
	return { inserted: missing.length };
}

export function isEmpty(db: Db): boolean {
	return (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`)?.n ?? 0) === 0;
}
