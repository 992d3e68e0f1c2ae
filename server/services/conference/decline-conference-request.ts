import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkDecline } from '../../../src/lib/core/conference/rules';
import { recordAudit } from '../audit';
import { loadRequest } from './conference-facts';
import { publishOutcome, withdrawOffer } from './conference-docs';
import { targetLabel } from './conference-target';
import { orThrow, type Call } from '../context';
import { requireAgent } from '../identity/require';
import { parseInput, ShortNote } from '../input';
import { declineReasons } from './decline-reasons';

const Input = z.object({ reason: ShortNote.optional() }).strict();

/**
 * C5: an offered agent declines, optionally saying why (issue 16); once nobody it was offered to
 * is left, the requester is told, with the reasons given.
 */
export async function declineConferenceRequest({ ctx, input }: Call<{ requestId: string; body?: unknown }>) {
	const agent = requireAgent(ctx.actor);
	const { requestId } = input;
	const reason = parseInput(Input, input.body ?? {}).reason ?? null;
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const req = await loadRequest(ctx.store, requestId);
		const { requestDeclined } = orThrow(checkDecline(req, agent.id, now));
		await db
			.update(t.conferenceOffers)
			.set({ declined: true, declineReason: reason })
			.where(and(eq(t.conferenceOffers.requestId, requestId), eq(t.conferenceOffers.agentId, agent.id)));
		if (requestDeclined)
			await db
				.update(t.conferenceRequests)
				.set({ status: 'declined', decidedAt: now, decidedBy: agent.id })
				.where(and(eq(t.conferenceRequests.id, requestId), eq(t.conferenceRequests.status, 'pending')));
		await recordAudit(ctx.store, { chatId: req.chatId, actor: agent.id, kind: 'conference.declined', data: { requestId, requestDeclined, reason }, at: now });
		const label = await targetLabel(ctx.store, req);
		if (requestDeclined) await publishOutcome(ctx, req, 'declined', label, undefined, await declineReasons(ctx.store, requestId));
		else await withdrawOffer(ctx, agent.id, requestId);
		return { requestId, status: requestDeclined ? 'declined' : 'pending' };
	});
}
