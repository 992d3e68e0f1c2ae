import { eq } from 'drizzle-orm';
import type { CannedReply } from '../../../src/lib/core/canned';
import type { UserRow } from '../../auth/sessions';
import type { Facts, Tables } from '../../storage/facts';
import { mayCustomize } from '../admin/chat-configurations';
import { DomainError } from '../context';
import { answersChats } from '../identity/require';

// Who may see and change which canned reply (issue 16): team-wide ones are read by every agent
// and changed by admins with Customize Application; personal ones are their agent's alone
// (another's is "not found", so their existence is not given away).

type Row = Tables['cannedReplies']['$inferSelect'];

export const toReply = (r: Row): CannedReply => ({
	id: r.id,
	scope: r.ownerId ? 'personal' : 'team',
	title: r.title,
	body: r.body,
	updatedAt: r.updatedAt
});

/** Refuses a user who may not manage replies of `scope`. */
export function mayManage(user: UserRow, scope: CannedReply['scope']) {
	if (scope === 'team' && !mayCustomize(user))
		throw new DomainError('FORBIDDEN', 'team-wide canned replies are managed by an admin with the Customize Application permission');
	if (scope === 'personal' && !answersChats(user)) throw new DomainError('FORBIDDEN', 'personal canned replies are for agents');
}

/** The reply `id` if `user` may change it; NOT_FOUND for a reply that is not theirs to see. */
export async function replyToChange(store: Facts, user: UserRow, id: string): Promise<Row> {
	const [row] = await store.db.select().from(store.t.cannedReplies).where(eq(store.t.cannedReplies.id, id)).limit(1);
	if (!row || (row.ownerId !== null && row.ownerId !== user.id)) throw new DomainError('NOT_FOUND', 'no such canned reply');
	mayManage(user, row.ownerId ? 'personal' : 'team');
	return row;
}
