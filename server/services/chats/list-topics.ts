import { and, asc, eq } from 'drizzle-orm';
import { isOpen } from '../../../src/lib/core/hours';
import { noAgentNow } from '../../../src/lib/core/queue';
import type { Call, Ctx } from '../context';

/**
 * The chat buttons a customer can pick from, each with `noAgent`: why nobody could answer a chat
 * started now ('closed', 'none_online' or null), so the start form can warn first (issue 15).
 */
export async function listTopics({ ctx }: Call<undefined>) {
	const { db, t } = ctx.store;
	const topics = await db.select().from(t.topics).orderBy(asc(t.topics.name));
	const noAgent = await noAgentByTopic(ctx, topics);
	// B8: whether an agent's reply to a left message reaches the customer's email (SMTP_URL is set).
	return { topics: topics.map((topic) => ({ ...topic, noAgent: noAgent.get(topic.id) ?? null })), replyByEmail: ctx.config.mail !== null };
}

/** Why nobody could answer each topic's chat now (README "Nobody left hanging"). */
export async function noAgentByTopic(ctx: Ctx, topics: readonly { id: string; skill: string; hours: Parameters<typeof isOpen>[0] }[]) {
	const { db, t } = ctx.store;
	// Only who is available and what they can answer: capacity does not matter before a wait.
	const available = await db
		.select({ skills: t.users.skills })
		.from(t.users)
		.where(and(eq(t.users.role, 'agent'), eq(t.users.presence, 'available')));
	const now = ctx.clock();
	return new Map(
		topics.map((topic) => [topic.id, noAgentNow(isOpen(topic.hours, now), available.filter((a) => a.skills.includes(topic.skill)).length)])
	);
}
