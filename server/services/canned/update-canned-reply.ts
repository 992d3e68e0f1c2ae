import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { requireUser } from '../identity/require';
import { parseInput } from '../input';
import { replyToChange, toReply } from './canned-access';
import { CannedBody, CannedTitle } from './canned-input';

const Input = z
	.object({ title: CannedTitle.optional(), body: CannedBody.optional() })
	.strict()
	.refine((b) => b.title !== undefined || b.body !== undefined, { message: 'give a title or a body', path: ['title'] });

/** Issue 16: edits a reply its user may manage (an admin's team-wide, an agent's own). */
export async function updateCannedReply({ ctx, input }: Call<{ id: string; body: unknown }>) {
	const user = requireUser(ctx.actor);
	const body = parseInput(Input, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const before = await replyToChange(ctx.store, user, input.id);
		const after = { ...before, title: body.title ?? before.title, body: body.body ?? before.body, updatedAt: now };
		const c = ctx.store.t.cannedReplies;
		await ctx.store.db.update(c).set({ title: after.title, body: after.body, updatedAt: now }).where(eq(c.id, before.id));
		await recordAudit(ctx.store, {
			chatId: null,
			actor: user.id,
			kind: 'canned_reply.updated',
			data: { id: before.id, before: { title: before.title, body: before.body }, after: { title: after.title, body: after.body } },
			at: now
		});
		return { reply: toReply(after) };
	});
}
