import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../../../src/lib/core/context/visibility';
import type { Attendance } from '../../../src/lib/core/context/owner';
import { docNames } from '../../../src/lib/core/doc-name';
import type { UserRow } from '../../auth/sessions';
import type { Db } from '../../db/client';
import { chatParticipants, chats } from '../../db/schema';
import { DomainError, type Ctx, type Identity } from '../context';
import { accessToDoc } from '../identity/doc-access';
import { requireAgent } from '../identity/require';

/** The calling agent, which must be in the chat now (history, records, workspace are for them). */
export function requireAgentInChat(ctx: Ctx, identity: Identity | null, chatId: string): UserRow {
	const agent = requireAgent(identity);
	const chat = ctx.db.select({ id: chats.id }).from(chats).where(eq(chats.id, chatId)).get();
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	if (accessToDoc(ctx, identity!, { kind: 'chatAgents', chatId }) === null)
		throw new DomainError('NOT_PARTICIPANT', 'you are not in this chat');
	return agent;
}

export const viewerOf = (u: UserRow): Viewer => ({ id: u.id, skills: u.skills, permissions: u.permissions });

/** Every agent attendance of a chat (C12 owner succession needs join and leave times). */
export function attendanceOf(db: Pick<Db, 'select'>, chatId: string): Attendance[] {
	return db
		.select({ agentId: chatParticipants.userId, joinedAt: chatParticipants.joinedAt, leftAt: chatParticipants.leftAt })
		.from(chatParticipants)
		.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.role, 'agent')))
		.all();
}

export const chatDocName = docNames.chat;
