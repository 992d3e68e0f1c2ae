import { eq } from 'drizzle-orm';
import { docNames, parseDocName } from '../../../src/lib/core/doc-name';
import { isProven } from '../../../src/lib/core/identity';
import { DomainError, type Call } from '../context';
import { accessToDoc, authorOf } from '../identity/doc-access';

/** A chat's summary for whoever may open its document (its customer, its agents now). */
export async function getChat({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const identity = ctx.actor;
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in or start a chat');
	const { db, t } = ctx.store;
	const [row] = await db
		.select({ chat: t.chats, topic: t.topics.name })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.where(eq(t.chats.id, chatId))
		.limit(1);
	const ref = parseDocName(docNames.chat(chatId));
	if (!row || !ref) throw new DomainError('NOT_FOUND', 'no such chat');
	if (!(await accessToDoc(ctx, identity, ref))) throw new DomainError('FORBIDDEN', 'this chat is not yours');
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
