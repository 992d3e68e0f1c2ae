import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { requireUser } from '../identity/require';
import { replyToChange } from './canned-access';

/** Issue 16: removes a reply its user may manage. */
export async function deleteCannedReply({ ctx, input }: Call<{ id: string }>) {
	const user = requireUser(ctx.actor);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const row = await replyToChange(ctx.store, user, input.id);
		await ctx.store.db.delete(ctx.store.t.cannedReplies).where(eq(ctx.store.t.cannedReplies.id, row.id));
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'canned_reply.deleted', data: { id: row.id, title: row.title }, at: now });
		return { deleted: row.id };
	});
}
