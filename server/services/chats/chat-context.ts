import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../src/lib/core/context/visibility';
import type { Attendance } from '../../../src/lib/core/context/owner';
import { docNames } from '../../../src/lib/core/doc-name';
import type { UserRow } from '../../auth/sessions';
import type { Facts } from '../../storage/facts';
import { DomainError, type Ctx, type Identity } from '../context';
import { presentIn } from '../identity/doc-access';
import { requireAgent } from '../identity/require';

/** The calling agent, which must be in the chat now (history, records, workspace are for them). */
export async function requireAgentInChat(ctx: Ctx, identity: Identity | null, chatId: string): Promise<UserRow> {
	const agent = requireAgent(identity);
	const { db, t } = ctx.store;
	const [chat] = await db.select({ id: t.chats.id }).from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	// In it, not watching it (B6: a supervisor sees these once it joined).
	if (!(await presentIn(ctx, chatId, agent.id))) throw new DomainError('NOT_PARTICIPANT', 'you are not in this chat');
	return agent;
}

export const viewerOf = (u: UserRow): Viewer => ({ id: u.id, skills: u.skills, permissions: u.permissions });

/** Every agent attendance of a chat (C12 owner succession needs join and leave times). */
export async function attendanceOf(store: Facts, chatId: string): Promise<Attendance[]> {
	const { db, t } = store;
	return db
		.select({ agentId: t.chatParticipants.userId, joinedAt: t.chatParticipants.joinedAt, leftAt: t.chatParticipants.leftAt })
		.from(t.chatParticipants)
		.where(and(eq(t.chatParticipants.chatId, chatId), eq(t.chatParticipants.role, 'agent')));
}

export const chatDocName = docNames.chat;
