import { eq } from 'drizzle-orm';
import { docNames } from '../../src/lib/core/types';
import type { UserRow } from '../auth/sessions';
import type { Db } from '../db/client';
import { chatParticipants, chats, topics } from '../db/schema';
import { assignChat, systemNotice, writeChat } from './chat-docs';
import type { Ctx } from './context';

/** Inside a transaction: the agent is in the chat from now (a rejoin starts a new attendance). */
export function addAgentToChat(tx: Pick<Db, 'insert'>, chatId: string, agentId: string, now: number) {
	tx.insert(chatParticipants)
		.values({ chatId, userId: agentId, role: 'agent', joinedAt: now })
		.onConflictDoUpdate({ target: [chatParticipants.chatId, chatParticipants.userId], set: { joinedAt: now, leftAt: null } })
		.run();
}

/** C4/C6 after commit: participant and notice in the chat, the chat on the agent's desk. */
export function announceJoin(ctx: Ctx, chatId: string, agent: Pick<UserRow, 'id' | 'name'>, now: number) {
	writeChat(ctx, chatId, agent.id, ({ messages, participants, meta }) => {
		meta.set('status', 'active');
		participants.set(agent.id, { id: agent.id, role: 'agent', name: agent.name, joinedAt: now });
		messages.push([systemNotice(`${agent.name} joined the chat`, now)]);
	});
	const row = ctx.db
		.select({ customerName: chats.customerName, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(eq(chats.id, chatId))
		.get();
	assignChat(ctx, agent.id, { chatId, topic: row?.topic ?? '', customerName: row?.customerName ?? '', joinedAt: now });
}

export const chatDocs = (chatId: string) => [docNames.chat(chatId), docNames.chatAgents(chatId)];
