import { and, eq } from 'drizzle-orm';
import { checkCancel } from '../../../src/lib/core/conference/rules';
import { conferenceRequests } from '../../db/schema';
import { recordAudit } from '../audit';
import { loadRequest } from './conference-facts';
import { publishOutcome } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Ctx, type Identity } from '../context';
import { requireAgent } from '../identity/require';

/** C15: the requester takes a pending request back; every offer card vanishes. */
export function cancelConferenceRequest(ctx: Ctx, identity: Identity | null, requestId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const { req, label } = ctx.db.transaction((tx) => {
		const req = loadRequest(tx, requestId);
		orThrow(checkCancel(req, agent.id, now));
		const done = tx
			.update(conferenceRequests)
			.set({ status: 'cancelled', decidedAt: now, decidedBy: agent.id })
			.where(and(eq(conferenceRequests.id, requestId), eq(conferenceRequests.status, 'pending')))
			.run();
		if (done.changes !== 1) throw new DomainError('TAKEN', 'the request was answered first');
		recordAudit(tx, { chatId: req.chatId, actor: agent.id, kind: 'conference.cancelled', data: { requestId }, at: now });
		return { req, label: targetLabel(tx, req) };
	});
	publishOutcome(ctx, req, 'cancelled', label);
	return { requestId, status: 'cancelled' };
}
