import { z } from 'zod';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { requireUser } from '../identity/require';
import { parseInput } from '../input';
import { mayManage, toReply } from './canned-access';
import { CannedBody, CannedTitle } from './canned-input';

const Input = z.object({ scope: z.enum(['team', 'personal']), title: CannedTitle, body: CannedBody }).strict();

/** Issue 16: an admin adds a team-wide reply, or an agent a personal one. */
export async function createCannedReply({ ctx, input }: Call<{ body: unknown }>) {
	const user = requireUser(ctx.actor);
	const body = parseInput(Input, input.body);
	mayManage(user, body.scope);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const row = {
			id: ctx.ids(),
			ownerId: body.scope === 'personal' ? user.id : null,
			title: body.title,
			body: body.body,
			createdAt: now,
			updatedAt: now
		};
		await ctx.store.db.insert(ctx.store.t.cannedReplies).values(row);
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'canned_reply.created', data: { id: row.id, scope: body.scope, title: row.title, body: row.body }, at: now });
		return { reply: toReply(row) };
	});
}
