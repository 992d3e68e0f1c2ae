import { ok, refuse, type Refusal, type Result } from '../result';
import type { AgentFacts, ChatFacts, ConferenceRefusal, ConferenceRequest, RequestTarget } from './types';

type R<T> = Result<T, ConferenceRefusal>;
const no = (code: ConferenceRefusal, message: string): Refusal<ConferenceRefusal> => refuse(code, message);

/** Who a new request is offered to: C2 (one agent, or every available agent with the skill not in the chat). */
export function requestOfferees(target: RequestTarget, chat: ChatFacts, agents: readonly AgentFacts[]): AgentFacts[] {
	const free = (a: AgentFacts) =>
		a.presence === 'available' && a.activeChats < a.capacity && !chat.agentIds.includes(a.id);
	return target.kind === 'agent'
		? agents.filter((a) => a.id === target.agentId && free(a))
		: agents.filter((a) => a.skills.includes(target.skill) && free(a));
}

/** C14: a chat in conference (more than one agent) transfers only when routed with Omni-Channel. */
export function checkTransferAllowed(chat: ChatFacts): R<null> {
	if (chat.agentIds.length > 1 && chat.routing === 'button')
		return no(
			'TRANSFER_NEEDS_OMNI',
			'a chat in conference can only be transferred when its topic is routed with Omni-Channel; this one uses button routing'
		);
	return ok(null);
}

/**
 * C1–C3 (conference) and L4/C14 (transfer): may `requester` send this request now?
 * Returns who it will be offered to.
 */
export function checkRequest(input: {
	kind?: 'conference' | 'transfer';
	requester: AgentFacts;
	chat: ChatFacts;
	target: RequestTarget;
	agents: readonly AgentFacts[];
	pending: readonly ConferenceRequest[];
}): R<AgentFacts[]> {
	const { requester, chat, target, agents, pending } = input;
	const kind = input.kind ?? 'conference';
	if (kind === 'conference' && !requester.conferenceEnabled)
		return no('CONFERENCE_DISABLED', 'chat conferencing is not enabled in your chat configuration');
	if (!chat.agentIds.includes(requester.id)) return no('NOT_PARTICIPANT', 'you are not in this chat');
	if (chat.status !== 'active') return no('CHAT_NOT_ACTIVE', 'this chat is not active');
	if (kind === 'transfer') {
		const allowed = checkTransferAllowed(chat);
		if (!allowed.ok) return allowed;
	}
	if (target.kind === 'agent' && chat.agentIds.includes(target.agentId))
		return no('ALREADY_IN_CHAT', 'that agent is already in this chat');
	const same = (t: RequestTarget) =>
		t.kind === target.kind && (t.kind === 'agent' ? t.agentId === (target as typeof t).agentId : t.skill === (target as typeof t).skill);
	if (pending.some((p) => p.chatId === chat.id && p.status === 'pending' && (p.kind ?? 'conference') === kind && same(p.target)))
		return no('DUPLICATE_REQUEST', 'a request to the same target is already pending');
	const offerees = requestOfferees(target, chat, agents);
	if (offerees.length === 0)
		return target.kind === 'agent'
			? no('TARGET_UNAVAILABLE', 'that agent is not available or has no free capacity')
			: no('NO_AGENT_AVAILABLE', `no available agent with the skill "${target.skill}" can join now`);
	return ok(offerees);
}

/** Why a request that is no longer pending cannot be answered (C15). */
function closed(req: ConferenceRequest, now: number): Refusal<ConferenceRefusal> | null {
	switch (req.status) {
		case 'pending':
			return now >= req.expiresAt ? no('EXPIRED', 'this request has expired') : null;
		case 'accepted':
			return no('TAKEN', 'another agent already joined');
		case 'expired':
			return no('EXPIRED', 'this request has expired');
		case 'withdrawn':
			return no('WITHDRAWN', 'this request was withdrawn');
		case 'cancelled':
			return no('CANCELLED', 'the requester cancelled this request');
		case 'declined':
			return no('DECLINED', 'this request was declined');
		default: {
			const never: never = req.status;
			throw new Error(`unknown status ${never}`);
		}
	}
}

const offeredTo = (req: ConferenceRequest, agentId: string) =>
	req.offers.some((o) => o.agentId === agentId && !o.declined);

/** C2/C4: may `agent` accept now? Exactly-once is the store's conditional update; this is the rule. */
export function checkAccept(req: ConferenceRequest, agent: AgentFacts, chat: ChatFacts, now: number): R<null> {
	if (!req.offers.some((o) => o.agentId === agent.id)) return no('NOT_OFFERED', 'this request was not offered to you');
	const gone = closed(req, now);
	if (gone) return gone;
	if (!offeredTo(req, agent.id)) return no('DECLINED', 'you declined this request');
	if (chat.status !== 'active') return no('WITHDRAWN', 'the chat has ended');
	if (chat.agentIds.includes(agent.id)) return no('ALREADY_IN_CHAT', 'you are already in this chat');
	if (agent.activeChats >= agent.capacity) return no('AT_CAPACITY', `you are at your capacity of ${agent.capacity} chats`);
	return ok(null);
}

/**
 * C5: an offered agent declines. The request is declined when nobody it was offered to is left
 * (always, for a request to one agent); otherwise it stays pending for the others.
 */
export function checkDecline(req: ConferenceRequest, agentId: string, now: number): R<{ requestDeclined: boolean }> {
	if (!req.offers.some((o) => o.agentId === agentId)) return no('NOT_OFFERED', 'this request was not offered to you');
	const gone = closed(req, now);
	if (gone) return gone;
	if (!offeredTo(req, agentId)) return no('DECLINED', 'you already declined this request');
	const othersLeft = req.offers.some((o) => o.agentId !== agentId && !o.declined);
	return ok({ requestDeclined: !othersLeft });
}

/** C15: only the requester cancels, and only while pending. */
export function checkCancel(req: ConferenceRequest, actorId: string, now: number): R<null> {
	if (req.requesterId !== actorId) return no('NOT_REQUESTER', 'only the agent who sent the request may cancel it');
	const gone = closed(req, now);
	return gone ?? ok(null);
}

/** C15: pending requests whose time is up. */
export const dueForExpiry = (reqs: readonly ConferenceRequest[], now: number) =>
	reqs.filter((r) => r.status === 'pending' && now >= r.expiresAt);

/** C7/C8: an agent may leave unless it is the last agent in the chat. */
export function checkLeave(chat: ChatFacts, agentId: string): R<null> {
	if (!chat.agentIds.includes(agentId)) return no('NOT_PARTICIPANT', 'you are not in this chat');
	if (chat.status !== 'active') return no('CHAT_NOT_ACTIVE', 'this chat is not active');
	if (chat.agentIds.length === 1)
		return no('LAST_AGENT', 'you are the last agent in this chat: use End Conversation instead');
	return ok(null);
}

/** C8: only the last agent may end the chat (the customer may always end it). */
export function checkAgentEnd(chat: ChatFacts, agentId: string): R<null> {
	if (!chat.agentIds.includes(agentId)) return no('NOT_PARTICIPANT', 'you are not in this chat');
	// The same code the customer gets for ending an ended chat (README "API": end).
	if (chat.status === 'ended') return no('CHAT_ENDED', 'this chat has already ended');
	if (chat.agentIds.length > 1)
		return no('NOT_LAST_AGENT', 'other agents are still in this chat: leave it instead, or wait until you are the last');
	return ok(null);
}

/** The console's buttons, from the same rules the server applies. */
export function availableActions(chat: ChatFacts, me: AgentFacts) {
	return {
		conference: me.conferenceEnabled && chat.status === 'active' && chat.agentIds.includes(me.id),
		leave: checkLeave(chat, me.id).ok,
		end: checkAgentEnd(chat, me.id).ok,
		transfer: transferAction(chat, me)
	};
}

/** Whether Transfer is offered, and if not, the reason the console shows instead (C14). */
function transferAction(chat: ChatFacts, me: AgentFacts): { allowed: boolean; reason: string | null } {
	if (chat.status !== 'active' || !chat.agentIds.includes(me.id)) return { allowed: false, reason: null };
	const allowed = checkTransferAllowed(chat);
	return allowed.ok ? { allowed: true, reason: null } : { allowed: false, reason: (allowed as Refusal<ConferenceRefusal>).message };
}
