import { eq } from 'drizzle-orm';
import { chatOwner } from '../../../src/lib/core/context/owner';
import type { Db } from '../../db/client';
import { chats } from '../../db/schema';
import { attendanceOf } from '../chats/chat-context';
import { DomainError } from '../context';

/** C12: refuses anyone but the chat's owner (originating, or longest-attending once it left). */
export function requireOwner(db: Pick<Db, 'select'>, chatId: string, agentId: string) {
	const chat = db.select({ origin: chats.originatingAgentId, status: chats.status }).from(chats).where(eq(chats.id, chatId)).get();
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	if (chat.status !== 'active') throw new DomainError('CHAT_NOT_ACTIVE', 'records can only change while the chat is active');
	if (chatOwner(chat.origin, attendanceOf(db, chatId)) !== agentId)
		throw new DomainError('NOT_OWNER', 'only the originating or longest-attending agent may attach or remove records');
}
