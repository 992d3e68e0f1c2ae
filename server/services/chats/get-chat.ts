import { eq } from 'drizzle-orm';
import { docNames, parseDocName } from '../../../src/lib/core/doc-name';
import { isProven } from '../../../src/lib/core/identity';
import { chats, topics } from '../../db/schema';
import { DomainError, type Ctx, type Identity } from '../context';
import { accessToDoc, authorOf } from '../identity/doc-access';

/** A chat's summary for whoever may open its document (its customer, its agents now). */
export function getChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in or start a chat');
	const row = ctx.db
		.select({ chat: chats, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(eq(chats.id, chatId))
		.get();
	const ref = parseDocName(docNames.chat(chatId));
	if (!row || !ref) throw new DomainError('NOT_FOUND', 'no such chat');
	if (!accessToDoc(ctx, identity, ref)) throw new DomainError('FORBIDDEN', 'this chat is not yours');
	const { chat, topic } = row;
	// T4: agents learn whether the customer's identity is proven; the customer is not told, so
	// the start form cannot be used to find out whether an email was used before.
	const trust = identity.kind === 'user' ? { identity: chat.identity, verified: isProven(chat.identity) } : {};
	return {
		chat: {
			id: chat.id,
			status: chat.status,
			topic,
			routing: chat.routing,
			customerName: chat.customerName,
			createdAt: chat.createdAt,
			endedAt: chat.endedAt,
			...trust
		},
		you: authorOf(identity)
	};
}
