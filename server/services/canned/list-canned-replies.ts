import { eq, isNull, or } from 'drizzle-orm';
import type { Call } from '../context';
import { DomainError } from '../context';
import { answersChats, requireUser } from '../identity/require';
import { mayCustomize } from '../admin/chat-configurations';
import { toReply } from './canned-access';

/** An agent's (or supervisor's) team-wide and own replies; an admin's team-wide ones (issue 16). */
export async function listCannedReplies({ ctx }: Call) {
	const user = requireUser(ctx.actor);
	if (!answersChats(user) && !mayCustomize(user)) throw new DomainError('FORBIDDEN', 'canned replies are for agents and admins');
	const { db, t } = ctx.store;
	const c = t.cannedReplies;
	const mine = answersChats(user) ? or(isNull(c.ownerId), eq(c.ownerId, user.id)) : isNull(c.ownerId);
	const rows = await db.select().from(c).where(mine);
	// Sorted here, not by the store: SQLite and PostgreSQL collate titles differently (`Banana`
	// before or after `apple`), and README "API" promises one order, the console's (canned.ts).
	rows.sort((a, b) => a.title.localeCompare(b.title, 'en') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return { replies: rows.map(toReply) };
}
