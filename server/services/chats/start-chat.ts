import { eq, or } from 'drizzle-orm';
import { z } from 'zod';
import { identityOfNewChat } from '../../../src/lib/core/identity';
import { checkCustomerName } from '../../../src/lib/core/names';
import { docNames } from '../../../src/lib/core/doc-name';
import { generateToken, hashToken, newId } from '../../auth/tokens';
import { chatParticipants, chats, customers, topics, users } from '../../db/schema';
import { recordAudit } from '../audit';
import { systemNotice, writeChat } from './chat-docs';
import { checkChatLimits } from './chat-limits';
import { DomainError, type Ctx } from '../context';
import { holdsProvenChat } from '../identity/customer-proof';
import { DisplayName, parseInput } from '../input';
import { routeWaitingChats } from './route-waiting-chats';

const Input = z.object({
	name: DisplayName,
	email: z.string().trim().toLowerCase().email('please give a valid email address').max(254),
	topic: z.string().min(1, 'please pick a topic').max(64),
	/** T4: the token of an earlier chat, for clients that keep tokens instead of the chat cookie. */
	token: z.string().max(256).optional()
});

/**
 * L1: a customer starts a chat on a topic; it waits and is offered by the topic's routing.
 * T3: `source` is the keyed hash of the client's address; past a chat limit nothing is created.
 * T4: `chatTokens` are the chat tokens the client holds (its chat cookies); with one of a proven
 * chat of the email's customer, the chat is `token`; else an email in use is only `claimed`.
 */
export function startChat(ctx: Ctx, input: unknown, source: string, chatTokens: readonly string[] = []) {
	const { name, email, topic: topicKey, token: bodyToken } = parseInput(Input, input);
	const staffNames = ctx.db.select({ name: users.name }).from(users).all().map((u) => u.name);
	const allowed = checkCustomerName(name, staffNames);
	if (!allowed.ok) throw new DomainError('BAD_INPUT', `name: ${allowed.message}`);
	const topic = ctx.db
		.select()
		.from(topics)
		.where(or(eq(topics.id, topicKey), eq(topics.name, topicKey)))
		.get();
	if (!topic) throw new DomainError('BAD_INPUT', 'topic: no such topic');
	checkChatLimits(ctx, source, email);
	const now = ctx.now();
	const token = generateToken();
	const chatId = newId();
	const proofs = bodyToken ? [...chatTokens, bodyToken] : chatTokens;
	const customerId = ctx.db.transaction((tx) => {
		const existing = tx.select().from(customers).where(eq(customers.email, email)).get();
		const id = existing?.id ?? newId();
		const identity = identityOfNewChat({ emailKnown: !!existing, holdsProvenChat: !!existing && holdsProvenChat(tx, id, proofs) });
		// Only a proven customer renames itself; a claim never touches the customer's row.
		if (!existing) tx.insert(customers).values({ id, email, name }).run();
		else if (identity === 'token') tx.update(customers).set({ name }).where(eq(customers.id, id)).run();
		tx.insert(chats)
			.values({
				id: chatId,
				topicId: topic.id,
				skill: topic.skill,
				routing: topic.routing,
				customerId: id,
				customerName: name,
				customerTokenHash: hashToken(token),
				status: 'waiting',
				createdAt: now,
				identity,
				sourceKey: source
			})
			.run();
		tx.insert(chatParticipants).values({ chatId, userId: id, role: 'customer', joinedAt: now }).run();
		recordAudit(tx, { chatId, actor: id, kind: 'chat.started', data: { topic: topic.name, identity }, at: now });
		return id;
	});
	writeChat(ctx, chatId, customerId, ({ messages, participants, meta }) => {
		meta.set('status', 'waiting');
		meta.set('topic', topic.name);
		meta.set('routing', topic.routing);
		participants.set(customerId, { id: customerId, role: 'customer', name, joinedAt: now });
		messages.push([systemNotice(`${name} started a chat about ${topic.name}`, now)]);
	});
	routeWaitingChats(ctx);
	return {
		chatId,
		doc: docNames.chat(chatId),
		token,
		customer: { id: customerId, role: 'customer' as const, name }
	};
}
