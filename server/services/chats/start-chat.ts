import { eq, or } from 'drizzle-orm';
import { z } from 'zod';
import { identityOfNewChat } from '../../../src/lib/core/identity';
import { checkCustomerName } from '../../../src/lib/core/names';
import { docNames } from '../../../src/lib/core/doc-name';
import { generateToken, hashToken } from '../../auth/tokens';
import type { Tables } from '../../storage/facts';
import { recordAudit } from '../audit';
import { systemNotice, writeChat } from './chat-docs';
import { checkChatLimits } from './chat-limits';
import { DomainError, type Call, type Ctx } from '../context';
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

/** The untrusted JSON body, the request's keyed source (T3) and the chat tokens it holds (T4). */
export interface StartChatInput {
	body: unknown;
	source: string;
	chatTokens?: readonly string[];
	/** B7: a start from a widget: only its topics; `signed` once its site's signature was checked. */
	widget?: { id: string; topics: readonly string[]; signed: boolean };
}

/**
 * L1: a customer starts a chat on a topic; it waits and is offered by the topic's routing.
 * T3: `source` is the keyed hash of the client's address; past a chat limit nothing is created.
 * T4: `chatTokens` are the chat tokens the client holds (its chat cookies); with one of a proven
 * chat of the email's customer, the chat is `token`; else an email in use is only `claimed`.
 */
export async function startChat({ ctx, input: { body, source, chatTokens = [], widget } }: Call<StartChatInput>) {
	const { name, email, topic: topicKey, token: bodyToken } = parseInput(Input, body);
	return ctx.decide(async (ctx) => {
		const topic = await topicFor(ctx, name, topicKey);
		if (widget && !widget.topics.includes(topic.id)) throw new DomainError('BAD_INPUT', 'topic: not offered by this widget');
		await checkChatLimits(ctx, source, email);
		const now = ctx.clock();
		const token = generateToken();
		const chatId = ctx.ids();
		const proofs = bodyToken ? [...chatTokens, bodyToken] : chatTokens;
		const customerId = await recordChat(ctx, { chatId, topic, name, email, token, source, proofs, now, widget });
		await writeChat(ctx, chatId, customerId, ({ messages, participants, meta }) => {
			meta.set('status', 'waiting');
			meta.set('topic', topic.name);
			meta.set('routing', topic.routing);
			participants.set(customerId, { id: customerId, role: 'customer', name, joinedAt: now });
			messages.push([systemNotice(`${name} started a chat about ${topic.name}`, now)]);
		});
		await routeWaitingChats(ctx);
		return {
			chatId,
			doc: docNames.chat(chatId),
			token,
			customer: { id: customerId, role: 'customer' as const, name }
		};
	});
}

type Topic = Tables['topics']['$inferSelect'];

/** The topic asked for (by id or name), once the name is one a customer may take. */
async function topicFor(ctx: Ctx, name: string, topicKey: string): Promise<Topic> {
	const { db, t } = ctx.store;
	const staffNames = (await db.select({ name: t.users.name }).from(t.users)).map((u) => u.name);
	const allowed = checkCustomerName(name, staffNames);
	if (!allowed.ok) throw new DomainError('BAD_INPUT', `name: ${allowed.message}`);
	const [topic] = await db
		.select()
		.from(t.topics)
		.where(or(eq(t.topics.id, topicKey), eq(t.topics.name, topicKey)))
		.limit(1);
	if (!topic) throw new DomainError('BAD_INPUT', 'topic: no such topic');
	return topic;
}

interface NewChat {
	chatId: string;
	topic: Topic;
	name: string;
	email: string;
	token: string;
	source: string;
	proofs: readonly string[];
	now: number;
	widget?: StartChatInput['widget'];
}

/** The chat's facts: its customer (found by email, or new), the chat, its first participant. */
async function recordChat(ctx: Ctx, c: NewChat): Promise<string> {
	const { store } = ctx;
	const { db, t } = store;
	const [existing] = await db.select().from(t.customers).where(eq(t.customers.email, c.email)).limit(1);
	const id = existing?.id ?? ctx.ids();
	const holds = !!existing && (await holdsProvenChat(store, id, c.proofs));
	// B7: an email the embedding site signed is proven whether or not it is known yet.
	const identity = c.widget?.signed ? 'signed' : identityOfNewChat({ emailKnown: !!existing, holdsProvenChat: holds });
	// Only a proven customer renames itself; a claim never touches the customer's row.
	if (!existing) await db.insert(t.customers).values({ id, email: c.email, name: c.name });
	else if (identity === 'token' || identity === 'signed') await db.update(t.customers).set({ name: c.name }).where(eq(t.customers.id, id));
	await db.insert(t.chats).values({
		id: c.chatId,
		topicId: c.topic.id,
		skill: c.topic.skill,
		routing: c.topic.routing,
		customerId: id,
		customerName: c.name,
		customerTokenHash: hashToken(c.token),
		status: 'waiting',
		createdAt: c.now,
		identity,
		sourceKey: c.source
	});
	await db.insert(t.chatParticipants).values({ chatId: c.chatId, userId: id, role: 'customer', joinedAt: c.now });
	await recordAudit(store, { chatId: c.chatId, actor: id, kind: 'chat.started', data: { topic: c.topic.name, identity, ...(c.widget && { widget: c.widget.id }) }, at: c.now });
	return id;
}
