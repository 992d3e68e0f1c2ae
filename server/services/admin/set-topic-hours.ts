import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { hoursProblem, type BusinessHours } from '../../../src/lib/core/hours';
import { recordAudit } from '../audit';
import { publishQueue } from '../chats/publish-queue';
import { DomainError, type Call } from '../context';
import { requireUser } from '../identity/require';
import { parseInput } from '../input';
import { mayCustomize } from './chat-configurations';

const Span = z.tuple([z.string().max(5), z.string().max(5)]);
const Input = z
	.object({
		hours: z
			.object({
				timeZone: z.string().min(1).max(64),
				days: z.record(z.string().max(16), z.array(Span).max(8))
			})
			.strict()
			.nullable()
	})
	.strict();

/**
 * B8: a topic's business hours (README "Nobody left hanging"); null = always open. Needs
 * Customize Application. Waiting customers of the topic see the change at once (meta.queue).
 */
export async function setTopicHours({ ctx, input }: Call<{ topicId: string; body: unknown }>) {
	const user = requireUser(ctx.actor);
	if (!mayCustomize(user)) throw new DomainError('FORBIDDEN', 'setting business hours needs the Customize Application permission');
	const { hours } = parseInput(Input, input.body);
	const problem = hours && hoursProblem(hours as BusinessHours);
	if (problem) throw new DomainError('BAD_INPUT', `hours.${problem}`);
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const done = await db
			.update(t.topics)
			.set({ hours: hours as BusinessHours | null })
			.where(eq(t.topics.id, input.topicId))
			.returning({ id: t.topics.id });
		if (done.length !== 1) throw new DomainError('NOT_FOUND', 'no such topic');
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'topic.hours_set', data: { topicId: input.topicId, hours }, at: ctx.clock() });
		await publishQueue(ctx);
		return { topic: { id: input.topicId, hours } };
	});
}
