import type { AgentFacts, ChatFacts } from '$lib/core/conference/types';
import type { ChatMeta, Participant } from '$lib/core/types';
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

/** C1: Enable Chat Conference comes from the agent's chat configuration. */
export function agentFacts(me: Me, activeChats: number): AgentFacts {
	return {
		id: me.id,
		name: me.name,
		presence: me.presence,
		skills: me.skills,
		capacity: me.capacity,
		activeChats,
		conferenceEnabled: me.chatConfiguration?.conferenceEnabled === true
	};
}
