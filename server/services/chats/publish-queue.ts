import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { isOpen } from '../../../src/lib/core/hours';
import { queueStatuses, type QueueStatus } from '../../../src/lib/core/queue';
import type { Facts } from '../../storage/facts';
import { agentLoads } from './agent-loads';
import { writeChat } from './chat-docs';
import type { Ctx } from '../context';
import { rankInSource } from './route-waiting-chats';

/** How many of a skill's latest live chats the estimate's median reads. */
export const RECENT_WAITS = 20;

/**
 * B8: writes each waiting chat's queue position, estimated wait and "nobody can answer" reason
 * into its document's `meta.queue` (core/queue.ts says how), only where it changed. Called after
 * routing (the queue changed) and by the server's queue job (time passes: the give-up time,
 * business hours). Writes documents: call it inside a decision.
 */
export async function publishQueue(ctx: Ctx) {
	const { db, t } = ctx.store;
	const rows = await db
		.select({ chat: t.chats, hours: t.topics.hours })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.where(eq(t.chats.status, 'waiting'))
		.orderBy(rankInSource(t), asc(t.chats.createdAt), asc(t.chats.id));
	if (rows.length === 0) return;
	const now = ctx.clock();
	const skills = [...new Set(rows.map((r) => r.chat.skill))];
	const recentWaits = new Map<string, number[]>();
	for (const skill of skills) recentWaits.set(skill, await waitsOf(ctx.store, skill));
	const statuses = queueStatuses({
		waiting: rows.map(({ chat, hours }) => ({
			id: chat.id,
			skill: chat.skill,
			createdAt: chat.createdAt,
			open: isOpen(hours, now),
			leftMessage: chat.leftMessageAt != null
		})),
		agents: await agentLoads(ctx.store),
		recentWaits,
		now,
		giveUpMs: ctx.config.queue.giveUpMs
	});
	// Compared with what was last written (kept on the row): an unchanged chat's document is not
	// touched, so a sleeping or unloaded one stays so.
	const last = new Map(rows.map((r) => [r.chat.id, r.chat.queueStatus]));
	for (const [chatId, status] of statuses) {
		if (same(last.get(chatId), status)) continue;
		await db.update(t.chats).set({ queueStatus: status }).where(eq(t.chats.id, chatId));
		await writeChat(ctx, chatId, 'server', ({ meta }) => meta.set('queue', status));
	}
}

const same = (a: QueueStatus | null | undefined, b: QueueStatus) =>
	!!a && a.position === b.position && a.etaMs === b.etaMs && a.noAgent === b.noAgent;

/** The waits (start to the first agent's accept, ms) of the skill's latest live chats. */
async function waitsOf(store: Facts, skill: string): Promise<number[]> {
	const { db, t } = store;
	const rows = await db
		.select({ createdAt: t.chats.createdAt, joinedAt: t.chatParticipants.joinedAt })
		.from(t.chats)
		.innerJoin(
			t.chatParticipants,
			and(eq(t.chatParticipants.chatId, t.chats.id), eq(t.chatParticipants.userId, t.chats.originatingAgentId))
		)
		.where(and(eq(t.chats.skill, skill), isNull(t.chats.leftMessageAt)))
		.orderBy(desc(t.chats.createdAt))
		.limit(RECENT_WAITS);
	return rows.map((r) => Math.max(0, r.joinedAt - r.createdAt));
}
