import { and, eq } from 'drizzle-orm';
import { checkCancel } from '../../../src/lib/core/conference/rules';
import { recordAudit } from '../audit';
import { loadRequest } from './conference-facts';
import { publishOutcome } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Call } from '../context';
import { requireAgent } from '../identity/require';

/** C15: the requester takes a pending request back; every offer card vanishes. */
export async function cancelConferenceRequest({ ctx, input }: Call<{ requestId: string }>) {
	const agent = requireAgent(ctx.actor);
	const { requestId } = input;
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const req = await loadRequest(ctx.store, requestId);
		orThrow(checkCancel(req, agent.id, now));
		const r = t.conferenceRequests;
		const done = await db
			.update(r)
			.set({ status: 'cancelled', decidedAt: now, decidedBy: agent.id })
			.where(and(eq(r.id, requestId), eq(r.status, 'pending')))
			.returning({ id: r.id });
		if (done.length !== 1) throw new DomainError('TAKEN', 'the request was answered first');
		await recordAudit(ctx.store, { chatId: req.chatId, actor: agent.id, kind: 'conference.cancelled', data: { requestId }, at: now });
		await publishOutcome(ctx, req, 'cancelled', await targetLabel(ctx.store, req));
		return { requestId, status: 'cancelled' };
	});
}
