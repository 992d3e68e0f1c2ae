import { and, eq, inArray } from 'drizzle-orm';
import type { ConferenceRequest, RequestStatus, WithdrawReason } from '../../../src/lib/core/conference/types';
import type { Facts } from '../../storage/facts';
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

/** With a decision's store: ends pending requests (C15) with their audit events; returns what to publish. */
export async function closeRequests(
	store: Facts,
	reqs: readonly ConferenceRequest[],
	status: Extract<RequestStatus, 'withdrawn' | 'expired'>,
	actor: string,
	now: number,
	reason?: WithdrawReason
): Promise<Closed[]> {
	if (reqs.length === 0) return [];
	const { db, t } = store;
	await db
		.update(t.conferenceRequests)
		.set({ status, decidedAt: now, decidedBy: actor, reason: reason ?? null })
		.where(and(inArray(t.conferenceRequests.id, reqs.map((r) => r.id)), eq(t.conferenceRequests.status, 'pending')));
	const closed: Closed[] = [];
	for (const req of reqs) {
		await recordAudit(store, { chatId: req.chatId, actor, kind: `conference.${status}`, data: { requestId: req.id, reason }, at: now });
		closed.push({ req, status, reason, label: await targetLabel(store, req) });
	}
	return closed;
}

/** The requesters' banners and the withdrawn offer cards of closed requests, in order. */
export async function publishClosed(ctx: Ctx, closed: readonly Closed[]) {
	for (const c of closed) await publishOutcome(ctx, c.req, c.status, c.label, c.reason);
}
