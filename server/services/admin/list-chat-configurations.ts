import { asc, eq } from 'drizzle-orm';
import { configurationsWithAgents, mayCustomize } from './chat-configurations';
import type { Call } from '../context';
import { requireUser } from '../identity/require';

/** Any staff member may read configurations; `canEdit` tells the page whether to offer editing. */
export async function listChatConfigurations({ ctx }: Call<undefined>) {
	const user = requireUser(ctx.actor);
	const { db, t } = ctx.store;
	const agents = await db
		.select({ id: t.users.id, name: t.users.name, email: t.users.email })
		.from(t.users)
		.where(eq(t.users.role, 'agent'))
		.orderBy(asc(t.users.name));
	return {
		configurations: await configurationsWithAgents(ctx.store),
		agents,
		canEdit: mayCustomize(user),
		reason: mayCustomize(user) ? null : 'Editing chat configurations needs the Customize Application permission.'
	};
}
