import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { PRESENCES } from '../../../src/lib/core/types';
import { recordAudit } from '../audit';
import { removeOffer } from './chat-docs';
import type { Call } from '../context';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';
import { routeWaitingChats } from './route-waiting-chats';

const Input = z.object({ status: z.enum(PRESENCES as [string, ...string[]]) });

/** L3: an agent's presence. Available offers waiting chats; leaving withdraws its open offers. */
export async function setPresence({ ctx, input: { body } }: Call<{ body: unknown }>) {
	const agent = requireAgent(ctx.actor);
	const status = parseInput(Input, body).status as (typeof PRESENCES)[number];
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const { chatOffers } = t;
		await db.update(t.users).set({ presence: status }).where(eq(t.users.id, agent.id));
		await recordAudit(ctx.store, { chatId: null, actor: agent.id, kind: 'agent.presence', data: { status }, at: now });
		if (status !== 'available') {
			const mine = and(eq(chatOffers.agentId, agent.id), eq(chatOffers.status, 'pending'));
			const open = await db.select().from(chatOffers).where(mine);
			await db.update(chatOffers).set({ status: 'withdrawn' }).where(mine);
			for (const o of open) await removeOffer(ctx, agent.id, o.id);
		}
		await routeWaitingChats(ctx);
		return { presence: status };
	});
}
