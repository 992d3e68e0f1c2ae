import { asc, eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { configurationsWithAgents, mayCustomize } from './chat-configurations';
import type { Ctx, Identity } from '../context';
import { requireUser } from '../identity/require';

/** Any staff member may read configurations; `canEdit` tells the page whether to offer editing. */
export function listChatConfigurations(ctx: Ctx, identity: Identity | null) {
	const user = requireUser(identity);
	const agents = ctx.db
		.select({ id: users.id, name: users.name, email: users.email })
		.from(users)
		.where(eq(users.role, 'agent'))
		.orderBy(asc(users.name))
		.all();
	return {
		configurations: configurationsWithAgents(ctx.db),
		agents,
		canEdit: mayCustomize(user),
		reason: mayCustomize(user) ? null : 'Editing chat configurations needs the Customize Application permission.'
	};
}
