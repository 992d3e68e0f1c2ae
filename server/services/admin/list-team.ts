import { asc, inArray } from 'drizzle-orm';
import type { Call } from '../context';
import { CHAT_STAFF_ROLES, requireUser } from '../identity/require';
import { requireCustomize } from './admin-input';

/**
 * Issue 16: the admin console's picture of the team: agents (with skills, capacity,
 * configuration, active), topics (skill, routing), the skills in use and the configurations.
 */
export async function listTeam({ ctx }: Call) {
	requireCustomize(requireUser(ctx.actor));
	const { db, t } = ctx.store;
	const u = t.users;
	const agents = await db
		.select({ id: u.id, name: u.name, email: u.email, role: u.role, skills: u.skills, capacity: u.capacity, configurationId: u.chatConfigurationId, active: u.active, presence: u.presence })
		.from(u)
		.where(inArray(u.role, [...CHAT_STAFF_ROLES]))
		.orderBy(asc(u.name));
	const topics = await db.select().from(t.topics).orderBy(asc(t.topics.name));
	const configurations = await db
		.select({ id: t.chatConfigurations.id, name: t.chatConfigurations.name })
		.from(t.chatConfigurations)
		.orderBy(asc(t.chatConfigurations.name));
	const skills = [...new Set([...agents.flatMap((a) => a.skills), ...topics.map((x) => x.skill)])].sort();
	return { agents, topics, skills, configurations };
}
