import { and, eq } from 'drizzle-orm';
import { checkDecline } from '../../../src/lib/core/conference/rules';
import { conferenceOffers, conferenceRequests } from '../../db/schema';
import { recordAudit } from '../audit';
import { loadRequest } from './conference-facts';
import { publishOutcome, withdrawOffer } from './conference-docs';
import { targetLabel } from './conference-target';
import { orThrow, type Ctx, type Identity } from '../context';
import { requireAgent } from '../identity/require';

/** C5: an offered agent declines; once nobody it was offered to is left, the requester is told. */
export function declineConferenceRequest(ctx: Ctx, identity: Identity | null, requestId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const outcome = ctx.db.transaction((tx) => {
		const req = loadRequest(tx, requestId);
		const { requestDeclined } = orThrow(checkDecline(req, agent.id, now));
		tx.update(conferenceOffers)
			.set({ declined: true })
			.where(and(eq(conferenceOffers.requestId, requestId), eq(conferenceOffers.agentId, agent.id)))
			.run();
		if (requestDeclined)
			tx.update(conferenceRequests)
				.set({ status: 'declined', decidedAt: now, decidedBy: agent.id })
				.where(and(eq(conferenceRequests.id, requestId), eq(conferenceRequests.status, 'pending')))
				.run();
		recordAudit(tx, { chatId: req.chatId, actor: agent.id, kind: 'conference.declined', data: { requestId, requestDeclined }, at: now });
		return { req, requestDeclined, label: targetLabel(tx, req) };
	});
	if (outcome.requestDeclined) publishOutcome(ctx, outcome.req, 'declined', outcome.label);
	else withdrawOffer(ctx, agent.id, requestId);
	return { requestId, status: outcome.requestDeclined ? 'declined' : 'pending' };
}
