import { asc, eq } from 'drizzle-orm';
import type { UserRow } from '../../auth/sessions';
import type { Db } from '../../db/client';
import { chatConfigurations, users } from '../../db/schema';
import { DomainError } from '../context';

export const CUSTOMIZE_APPLICATION = 'customize_application';

export const mayCustomize = (user: UserRow) => user.permissions.includes(CUSTOMIZE_APPLICATION);

/** Every chat configuration with the agents assigned to it. */
export function configurationsWithAgents(db: Pick<Db, 'select'>) {
	const configs = db.select().from(chatConfigurations).orderBy(asc(chatConfigurations.name)).all();
	const agents = db
		.select({ id: users.id, name: users.name, email: users.email, configId: users.chatConfigurationId })
		.from(users)
		.where(eq(users.role, 'agent'))
		.orderBy(asc(users.name))
		.all();
	return configs.map((c) => ({
		...c,
		agents: agents.filter((a) => a.configId === c.id).map(({ id, name, email }) => ({ id, name, email }))
	}));
}

export function configurationOrThrow(db: Pick<Db, 'select'>, id: string) {
	const found = configurationsWithAgents(db).find((c) => c.id === id);
	if (!found) throw new DomainError('NOT_FOUND', 'no such chat configuration');
	return found;
}
