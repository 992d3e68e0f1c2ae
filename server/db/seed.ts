import { normalizeName } from '../../src/lib/core/names';
import { hashPassword } from '../auth/passwords';
import type { Facts } from '../storage/facts';
import type { UpdateLogWriter } from '../storage/update-log';
import { PAT, seedHistory } from './seed-history';

export const DEMO_PASSWORD = 'parley-demo';

export const DEMO_USERS = [
	{ id: 'ada', email: 'ada@parley.test', name: 'Ada', role: 'agent', skills: ['billing', 'tech'], capacity: 3, config: 'default' },
	{ id: 'grace', email: 'grace@parley.test', name: 'Grace', role: 'agent', skills: ['billing'], capacity: 2, config: 'default' },
	{ id: 'linus', email: 'linus@parley.test', name: 'Linus', role: 'agent', skills: ['tech'], capacity: 2, config: 'default' },
	{ id: 'margaret', email: 'margaret@parley.test', name: 'Margaret', role: 'agent', skills: ['billing', 'tech'], capacity: 2, config: 'restricted' },
	// B6: watches every live chat of its teams (its skills), whispers, joins through a request to itself.
	{ id: 'sam', email: 'sam@parley.test', name: 'Sam Reyes', role: 'supervisor', skills: ['billing', 'tech'], capacity: 3, config: 'default' },
	{ id: 'admin', email: 'admin@parley.test', name: 'Admin', role: 'admin', skills: [], capacity: 0, config: null, permissions: ['customize_application'] },
	{ id: 'audit', email: 'audit@parley.test', name: 'Auditor', role: 'auditor', skills: [], capacity: 0, config: null }
] as const;

/** T2: names enter through the seed too; they must be what the API would store. */
function assertName(name: string) {
	const result = normalizeName(name);
	if (!result.ok || result.value !== name) throw new Error(`seed: the name ${JSON.stringify(name)} ${result.ok ? 'is not normalized' : result.message}`);
}

/**
 * The demo organisation, on either store. Idempotent: rows that exist (by id) are left as they
 * are, so running it again (or after a crash half-way) only adds what is missing. `log` takes
 * the earlier chats' transcripts (see seed-history.ts).
 */
export async function seedDemo(store: Facts, log: UpdateLogWriter) {
	for (const name of [...DEMO_USERS.map((u) => u.name), PAT.name]) assertName(name);
	const { db, t } = store;
	await db
		.insert(t.chatConfigurations)
		.values([
			{ id: 'default', name: 'Default', conferenceEnabled: true, requestTimeoutSec: 60 },
			{ id: 'restricted', name: 'Restricted', conferenceEnabled: false, requestTimeoutSec: 60 }
		])
		.onConflictDoNothing();
	await db
		.insert(t.topics)
		.values([
			{ id: 'billing', name: 'Billing', skill: 'billing', routing: 'omni' },
			{ id: 'technical', name: 'Technical', skill: 'tech', routing: 'button' }
		])
		.onConflictDoNothing();
	const existing = new Set((await db.select({ id: t.users.id }).from(t.users)).map((u) => u.id));
	const missing = DEMO_USERS.filter((u) => !existing.has(u.id));
	const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
	for (const [i, u] of missing.entries())
		await db
			.insert(t.users)
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
			.onConflictDoNothing();
	await seedHistory(store, log);
	return { inserted: missing.length };
}

/** Whether the store has no users yet (a fresh database: main seeds it). */
export async function isEmpty(store: Facts): Promise<boolean> {
	const { db, t } = store;
	return (await db.select({ id: t.users.id }).from(t.users).limit(1)).length === 0;
}
