import type { AgentFacts, ChatFacts } from '$lib/core/conference/types';
import type { AgentConfig, ChatMeta, Participant } from '$lib/core/types';
import type { Me } from '$lib/sync/api';

// The facts the conference core decides on (availableActions), read from what the console has:
// the chat document and GET /api/me. The server applies the same rules to its own facts.

/** C7/C8/C14: agents in the chat now (no leftAt), oldest join first. */
export function chatFacts(chatId: string, meta: ChatMeta, participants: readonly Participant[]): ChatFacts {
	return {
		id: chatId,
		status: meta.status ?? 'waiting',
		routing: meta.routing,
		agentIds: participants
			.filter((p) => p.role === 'agent' && p.leftAt == null)
			.sort((a, b) => a.joinedAt - b.joinedAt)
			.map((p) => p.id)
	};
}

/**
 * C1: Enable Chat Conference comes from the agent's chat configuration: as the server last wrote
 * it into my `agent/<id>` document when there is one (an admin's change, live), else GET /api/me.
 */
export function agentFacts(me: Me, activeChats: number, live: AgentConfig | null = null): AgentFacts {
	return {
		id: me.id,
		name: me.name,
		presence: me.presence,
		skills: me.skills,
		capacity: me.capacity,
		activeChats,
		conferenceEnabled: live ? live.conferenceEnabled : me.chatConfiguration?.conferenceEnabled === true
	};
}

/** Why Conference is missing when C1 is what forbids it (issue 16: the console explains). */
export function conferenceOffReason(me: Me, live: AgentConfig | null): string | null {
	const name = live ? live.name : (me.chatConfiguration?.name ?? null);
	const enabled = live ? live.conferenceEnabled : me.chatConfiguration?.conferenceEnabled === true;
	if (enabled) return null;
	if (name === null) return 'You have no chat configuration, so you can’t send conference requests. An admin can assign you one.';
	return `Your chat configuration (${name}) has Enable Chat Conference off. An admin can turn it on.`;
}
