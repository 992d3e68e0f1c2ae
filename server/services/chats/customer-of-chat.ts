import { eq } from 'drizzle-orm';
import type { Tables } from '../../storage/facts';
import { DomainError, type Ctx, type Identity } from '../context';

type Customer = Extract<Identity, { kind: 'customer' }>;

/** B8: the customer of this chat asking (by its chat token), and the chat's row; else a refusal. */
export async function customerOfChat(ctx: Ctx, chatId: string): Promise<{ customer: Customer; chat: Tables['chats']['$inferSelect'] }> {
	const identity = ctx.actor;
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please start a chat first');
	if (identity.kind !== 'customer') throw new DomainError('FORBIDDEN', "only the chat's customer may do this");
	if (identity.chatId !== chatId) throw new DomainError('FORBIDDEN', 'this chat is not yours');
	const { db, t } = ctx.store;
	const [chat] = await db.select().from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	return { customer: identity, chat };
}
