import { and, eq } from 'drizzle-orm';
import { checkDecline } from '../../../src/lib/core/conference/rules';
import { recordAudit } from '../audit';
import { loadRequest } from './conference-facts';
import { publishOutcome, withdrawOffer } from './conference-docs';
import { targetLabel } from './conference-target';
import { orThrow, type Call } from '../context';
import { requireAgent } from '../identity/require';

/** C5: an offered agent declines; once nobody it was offered to is left, the requester is told. */
export async function declineConferenceRequest({ ctx, input }: Call<{ requestId: string }>) {
	const agent = requireAgent(ctx.actor);
	const { requestId } = input;
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const req = await loadRequest(ctx.store, requestId);
		const { requestDeclined } = orThrow(checkDecline(req, agent.id, now));
		await db
			.update(t.conferenceOffers)
			.set({ declined: true })
			.where(and(eq(t.conferenceOffers.requestId, requestId), eq(t.conferenceOffers.agentId, agent.id)));
		if (requestDeclined)
			await db
				.update(t.conferenceRequests)
				.set({ status: 'declined', decidedAt: now, decidedBy: agent.id })
				.where(and(eq(t.conferenceRequests.id, requestId), eq(t.conferenceRequests.status, 'pending')));
		await recordAudit(ctx.store, { chatId: req.chatId, actor: agent.id, kind: 'conference.declined', data: { requestId, requestDeclined }, at: now });
		const label = await targetLabel(ctx.store, req);
		if (requestDeclined) await publishOutcome(ctx, req, 'declined', label);
		else await withdrawOffer(ctx, agent.id, requestId);
		return { requestId, status: requestDeclined ? 'declined' : 'pending' };
	});
}
