import { ok, refuse, type Result } from '../result';
import type { AgentFacts, ChatFacts, ConferenceRefusal, ConferenceRequest } from './types';

/**
 * B6: a supervisor joins a live chat of its teams through the ordinary conference request,
 * addressed to itself (then accepted like any offer, C4). Not in the chat yet: that is the point.
 * `supervised`: the chat's topic is of one of its skills.
 */
export function checkSupervisorJoin(input: {
	supervisor: AgentFacts;
	chat: ChatFacts;
	supervised: boolean;
	pending: readonly ConferenceRequest[];
}): Result<AgentFacts[], ConferenceRefusal | 'FORBIDDEN'> {
	const { supervisor, chat, pending } = input;
	if (!input.supervised) return refuse('FORBIDDEN', "this chat is not one of your teams'");
	if (chat.status !== 'active') return refuse('CHAT_NOT_ACTIVE', 'this chat is not active');
	if (chat.agentIds.includes(supervisor.id)) return refuse('ALREADY_IN_CHAT', 'you are already in this chat');
	if (pending.some((p) => p.status === 'pending' && p.target.kind === 'agent' && p.target.agentId === supervisor.id))
		return refuse('DUPLICATE_REQUEST', 'a request to join is already pending');
	return ok([supervisor]);
}
