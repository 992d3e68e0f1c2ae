import { asc, eq, isNull, or } from 'drizzle-orm';
import type { Call } from '../context';
import { DomainError } from '../context';
import { requireUser } from '../identity/require';
import { mayCustomize } from '../admin/chat-configurations';
import { toReply } from './canned-access';

/** An agent's team-wide and own replies; an admin's team-wide ones (issue 16). */
export async function listCannedReplies({ ctx }: Call) {
	const user = requireUser(ctx.actor);
	if (user.role !== 'agent' && !mayCustomize(user)) throw new DomainError('FORBIDDEN', 'canned replies are for agents and admins');
	const { db, t } = ctx.store;
	const c = t.cannedReplies;
	const mine = user.role === 'agent' ? or(isNull(c.ownerId), eq(c.ownerId, user.id)) : isNull(c.ownerId);
	const rows = await db.select().from(c).where(mine).orderBy(asc(c.title), asc(c.id));
	return { replies: rows.map(toReply) };
}
