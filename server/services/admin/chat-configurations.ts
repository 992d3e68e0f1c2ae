import { asc, eq } from 'drizzle-orm';
import type { UserRow } from '../../auth/sessions';
import type { Facts } from '../../storage/facts';
import { DomainError } from '../context';

export const CUSTOMIZE_APPLICATION = 'customize_application';

export const mayCustomize = (user: UserRow) => user.permissions.includes(CUSTOMIZE_APPLICATION);

/** Every chat configuration with the agents assigned to it. */
export async function configurationsWithAgents(store: Facts) {
	const { db, t } = store;
	const configs = await db.select().from(t.chatConfigurations).orderBy(asc(t.chatConfigurations.name));
	const agents = await db
		.select({ id: t.users.id, name: t.users.name, email: t.users.email, configId: t.users.chatConfigurationId })
		.from(t.users)
		.where(eq(t.users.role, 'agent'))
		.orderBy(asc(t.users.name));
	return configs.map((c) => ({
		...c,
		agents: agents.filter((a) => a.configId === c.id).map(({ id, name, email }) => ({ id, name, email }))
	}));
}

export async function configurationOrThrow(store: Facts, id: string) {
	const found = (await configurationsWithAgents(store)).find((c) => c.id === id);
	if (!found) throw new DomainError('NOT_FOUND', 'no such chat configuration');
	return found;
}
