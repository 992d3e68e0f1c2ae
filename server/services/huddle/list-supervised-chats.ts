import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Call } from '../context';
import { requireSupervisor } from '../identity/require';

/**
 * B6: every live chat (waiting or active) of the supervisor's teams — the topics of its skills —
 * oldest first, with its queue time: how long it waited (ms) until its first agent joined, or has
 * waited so far.
 */
export async function listSupervisedChats({ ctx }: Call<undefined>) {
	const supervisor = requireSupervisor(ctx.actor);
	const now = ctx.clock();
	const { db, t } = ctx.store;
	const skills = supervisor.skills.length > 0 ? supervisor.skills : ['\u0000none'];
	const rows = await db
		.select({ chat: t.chats, topic: t.topics.name })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.where(and(inArray(t.chats.status, ['waiting', 'active']), inArray(t.chats.skill, skills)))
		.orderBy(asc(t.chats.createdAt), asc(t.chats.id));
	const p = t.chatParticipants;
	const ids = rows.map((r) => r.chat.id);
	const attendance =
		ids.length === 0
			? []
			: await db
					.select({ chatId: p.chatId, id: t.users.id, name: t.users.name, joinedAt: p.joinedAt, leftAt: p.leftAt })
					.from(p)
					.innerJoin(t.users, eq(t.users.id, p.userId))
					.where(and(inArray(p.chatId, ids), eq(p.role, 'agent')))
					.orderBy(asc(p.joinedAt));
	return {
		chats: rows.map(({ chat, topic }) => {
			const here = attendance.filter((a) => a.chatId === chat.id);
			const firstJoin = here[0]?.joinedAt ?? null;
			return {
				id: chat.id,
				status: chat.status,
				topic,
				customerName: chat.customerName,
				createdAt: chat.createdAt,
				answeredAt: firstJoin,
				queueMs: (firstJoin ?? now) - chat.createdAt,
				agents: here.filter((a) => a.leftAt === null).map((a) => ({ id: a.id, name: a.name })),
				joined: here.some((a) => a.id === supervisor.id && a.leftAt === null)
			};
		})
	};
}
