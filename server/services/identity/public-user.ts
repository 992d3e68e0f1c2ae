import { eq } from 'drizzle-orm';
import type { UserRow } from '../../auth/sessions';
import { chatConfigurations } from '../../db/schema';
import type { Ctx } from '../context';

/** What a user may know about itself (never the password hash). */
export function publicUser(ctx: Ctx, user: UserRow) {
	const config = user.chatConfigurationId
		? ctx.db.select().from(chatConfigurations).where(eq(chatConfigurations.id, user.chatConfigurationId)).get()
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
