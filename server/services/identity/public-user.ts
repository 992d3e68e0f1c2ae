import { eq } from 'drizzle-orm';
import type { UserRow } from '../../auth/sessions';
import type { Facts } from '../../storage/facts';
import type { Call } from '../context';
import { requireUser } from './require';

/** GET /api/me: what the signed-in user may know about itself. */
export async function publicUser({ ctx }: Call<undefined>) {
	return publicViewOf(ctx.store, requireUser(ctx.actor));
}

/** What a user may know about itself (never the password hash); also the answer to a sign-in. */
export async function publicViewOf(store: Facts, user: UserRow) {
	const { db, t } = store;
	const config = user.chatConfigurationId
		? (await db.select().from(t.chatConfigurations).where(eq(t.chatConfigurations.id, user.chatConfigurationId)).limit(1))[0]
		: undefined;
	return {
		id: user.id,
		email: user.email,
		name: user.name,
		role: user.role,
		permissions: user.permissions,
		skills: user.skills,
		capacity: user.capacity,
		presence: user.presence,
		chatConfiguration: config ?? null
	};
}
