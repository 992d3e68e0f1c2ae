import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { PRESENCES } from '../../../src/lib/core/types';
import { chatOffers, users } from '../../db/schema';
import { recordAudit } from '../audit';
import { removeOffer } from './chat-docs';
import type { Ctx, Identity } from '../context';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';
import { routeWaitingChats } from './route-waiting-chats';

const Input = z.object({ status: z.enum(PRESENCES as [string, ...string[]]) });

/** L3: an agent's presence. Available offers waiting chats; leaving withdraws its open offers. */
export function setPresence(ctx: Ctx, identity: Identity | null, input: unknown) {
	const agent = requireAgent(identity);
	const status = parseInput(Input, input).status as (typeof PRESENCES)[number];
	const now = ctx.now();
	const withdrawn = ctx.db.transaction((tx) => {
		tx.update(users).set({ presence: status }).where(eq(users.id, agent.id)).run();
		recordAudit(tx, { chatId: null, actor: agent.id, kind: 'agent.presence', data: { status }, at: now });
		if (status === 'available') return [];
		const open = tx
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.agentId, agent.id), eq(chatOffers.status, 'pending')))
			.all();
		tx.update(chatOffers)
			.set({ status: 'withdrawn' })
			.where(and(eq(chatOffers.agentId, agent.id), eq(chatOffers.status, 'pending')))
			.run();
		return open;
	});
	for (const o of withdrawn) removeOffer(ctx, agent.id, o.id);
	routeWaitingChats(ctx);
	return { presence: status };
}
