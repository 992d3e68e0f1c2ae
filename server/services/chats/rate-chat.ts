import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import { ratingProblem } from '../../../src/lib/core/rating';
import type { Banner, ChatRating } from '../../../src/lib/core/types';
import { recordAudit } from '../audit';
import { DomainError, type Call, type Ctx } from '../context';
import { parseInput } from '../input';
import { writeChat } from './chat-docs';
import { customerOfChat } from './customer-of-chat';

const Input = z.object({ score: z.unknown(), comment: z.string().max(10_000).optional() }).strict();

/**
 * B8: the customer rates its ended chat, once: 1–5 and an optional comment. Stored, in the audit
 * (`chat.rated`), and in the chat document's `meta.rating`, where the agents' screens read it.
 */
export async function rateChat({ ctx, input: { chatId, body } }: Call<{ chatId: string; body: unknown }>) {
	const parsed = parseInput(Input, body);
	const comment = (parsed.comment ?? '').trim().normalize('NFC');
	const problem = ratingProblem(parsed.score, comment);
	if (problem) throw new DomainError('BAD_INPUT', problem);
	const score = parsed.score as number;
	return ctx.decide(async (ctx) => {
		const { customer, chat } = await customerOfChat(ctx, chatId);
		if (chat.status !== 'ended') throw new DomainError('CHAT_NOT_ENDED', 'a chat can be rated once it has ended');
		const { db, t } = ctx.store;
		const at = ctx.clock();
		const stored = await db.insert(t.chatRatings).values({ chatId, score, comment, at }).onConflictDoNothing().returning({ chatId: t.chatRatings.chatId });
		if (stored.length !== 1) throw new DomainError('ALREADY_DONE', 'this chat has already been rated');
		await recordAudit(ctx.store, { chatId, actor: customer.customerId, kind: 'chat.rated', data: { score, comment }, at });
		const rating: ChatRating = { score, comment, at };
		await writeChat(ctx, chatId, customer.customerId, ({ meta }) => meta.set('rating', rating));
		await tellAgents(ctx, chatId, `${customer.name} rated the chat ${score} of 5${comment ? `: “${comment}”` : '.'}`, at);
		return { rating };
	});
}

/** The agents who were in the chat at its end get the rating in their console (a `rated` banner). */
async function tellAgents(ctx: Ctx, chatId: string, text: string, at: number) {
	const { db, t } = ctx.store;
	const agents = await db
		.select({ id: t.chatParticipants.userId })
		.from(t.chatParticipants)
		.where(and(eq(t.chatParticipants.chatId, chatId), eq(t.chatParticipants.role, 'agent'), isNull(t.chatParticipants.leftAt)));
	for (const { id } of agents) {
		const banner: Banner = { id: ctx.ids(), chatId, kind: 'rated', text, at };
		await ctx.docs.change(docNames.agent(id), 'server', (doc) => doc.getMap<Banner>(ROOT.BANNERS).set(banner.id, banner));
	}
}
