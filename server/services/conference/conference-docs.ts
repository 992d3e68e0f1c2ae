import type { ConferenceRequest, RequestStatus, WithdrawReason } from '../../../src/lib/core/conference/types';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { Banner, ConferenceOffer, SentRequest } from '../../../src/lib/core/types';
import type { Ctx } from '../context';

// How conference requests and their outcomes reach agents: their `agent/<id>` documents.
// Inside a decision, so each change is part of it (one after the other, in this order).

export async function publishRequest(ctx: Ctx, req: ConferenceRequest, offer: Omit<ConferenceOffer, 'id' | 'kind' | 'requestId'>, targetLabel: string) {
	for (const o of req.offers)
		await ctx.docs.change(docNames.agent(o.agentId), 'server', (doc) =>
			doc.getMap<ConferenceOffer>(ROOT.OFFERS).set(req.id, { ...offer, id: req.id, kind: 'conference', requestId: req.id })
		);
	const sent: SentRequest = { id: req.id, chatId: req.chatId, targetLabel, at: req.createdAt, expiresAt: req.expiresAt };
	await ctx.docs.change(docNames.agent(req.requesterId), 'server', (doc) => doc.getMap<SentRequest>(ROOT.REQUESTS).set(req.id, sent));
}

/** Removes one agent's offer card for a request (it declined, or the request ended). */
export async function withdrawOffer(ctx: Ctx, agentId: string, requestId: string) {
	await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => {
		const offers = doc.getMap(ROOT.OFFERS);
		if (offers.has(requestId)) offers.delete(requestId);
	});
}

const BANNER_TEXT: Record<Exclude<RequestStatus, 'pending' | 'accepted'>, (label: string, noun: string) => string> = {
	declined: (l, n) => `${l} declined your ${n} request.`,
	expired: (l, n) => `Your ${n} request to ${l} expired without an answer.`,
	withdrawn: (l, n) => `Your ${n} request to ${l} was withdrawn.`,
	cancelled: (l, n) => `You cancelled your ${n} request to ${l}.`
};
const WITHDRAW_TEXT: Record<WithdrawReason, string> = {
	another_agent_won: 'another agent joined',
	requester_left: 'you left the chat',
	chat_ended: 'the chat ended'
};

/** C15: every offer card of an ended request vanishes; the requester sees the outcome. */
export async function publishOutcome(
	ctx: Ctx,
	req: ConferenceRequest,
	status: Exclude<RequestStatus, 'pending'>,
	targetLabel: string,
	reason?: WithdrawReason,
	/** Issue 16: what the decliners said, e.g. `Reason: “On a call”` (see declineReasons). */
	said?: string | null
) {
	for (const o of req.offers) await withdrawOffer(ctx, o.agentId, req.id);
	await ctx.docs.change(docNames.agent(req.requesterId), 'server', (doc) => {
		const requests = doc.getMap(ROOT.REQUESTS);
		if (requests.has(req.id)) requests.delete(req.id);
		if (status === 'accepted') return;
		const text = BANNER_TEXT[status](targetLabel, req.kind) + (reason ? ` (${WITHDRAW_TEXT[reason]})` : '') + (said ? ` ${said}` : '');
		const banner: Banner = { id: ctx.ids(), chatId: req.chatId, kind: status, text, at: ctx.clock() };
		doc.getMap<Banner>(ROOT.BANNERS).set(banner.id, banner);
	});
}
