import { eq } from 'drizzle-orm';
import { chatOwner } from '../../../src/lib/core/context/owner';
import type { Facts } from '../../storage/facts';
import { attendanceOf } from '../chats/chat-context';
import { DomainError } from '../context';

/** C12: refuses anyone but the chat's owner (originating, or longest-attending once it left). */
export async function requireOwner(store: Facts, chatId: string, agentId: string): Promise<void> {
	const { db, t } = store;
	const [chat] = await db
		.select({ origin: t.chats.originatingAgentId, status: t.chats.status })
		.from(t.chats)
		.where(eq(t.chats.id, chatId))
		.limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	if (chat.status !== 'active') throw new DomainError('CHAT_NOT_ACTIVE', 'records can only change while the chat is active');
	if (chatOwner(chat.origin, await attendanceOf(store, chatId)) !== agentId)
		throw new DomainError('NOT_OWNER', 'only the originating or longest-attending agent may attach or remove records');
}
