import { and, eq, inArray } from 'drizzle-orm';
import type { ConferenceRequest, RequestStatus, WithdrawReason } from '../../../src/lib/core/conference/types';
import type { Db } from '../../db/client';
import { conferenceRequests } from '../../db/schema';
import { recordAudit } from '../audit';
import { publishOutcome } from './conference-docs';
import { targetLabel } from './conference-target';
import type { Ctx } from '../context';

export interface Closed {
	req: ConferenceRequest;
	status: 'withdrawn' | 'expired';
	reason?: WithdrawReason;
	label: string;
}

/** Inside a transaction: ends pending requests (C15) with their audit events; returns what to publish. */
export function closeRequests(
	tx: Pick<Db, 'update' | 'insert' | 'select'>,
	reqs: readonly ConferenceRequest[],
	status: Extract<RequestStatus, 'withdrawn' | 'expired'>,
	actor: string,
	now: number,
	reason?: WithdrawReason
): Closed[] {
	if (reqs.length === 0) return [];
	tx.update(conferenceRequests)
		.set({ status, decidedAt: now, decidedBy: actor, reason: reason ?? null })
		.where(and(inArray(conferenceRequests.id, reqs.map((r) => r.id)), eq(conferenceRequests.status, 'pending')))
		.run();
	return reqs.map((req) => {
		recordAudit(tx, { chatId: req.chatId, actor, kind: `conference.${status}`, data: { requestId: req.id, reason }, at: now });
		return { req, status, reason, label: targetLabel(tx, req) };
	});
}

export function publishClosed(ctx: Ctx, closed: readonly Closed[]) {
	for (const c of closed) publishOutcome(ctx, c.req, c.status, c.label, c.reason);
}
