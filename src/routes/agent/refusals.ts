import { ApiError } from '$lib/sync/api';

/** What a refused Accept means for the agent, by the server's 409 code (README "API"). */
export function acceptRefusal(e: unknown, used: number, capacity: number, customerName: string): string {
	const code = e instanceof ApiError ? e.code : null;
	switch (code) {
		case 'TAKEN':
			return `Another agent took the chat with ${customerName}.`;
		case 'AT_CAPACITY':
			return `You are at capacity (${used} of ${capacity}). End a chat first.`;
		case 'EXPIRED':
			return 'That request expired before you accepted it.';
		case 'WITHDRAWN':
		case 'CANCELLED':
			return 'That request was withdrawn.';
		default:
			return e instanceof Error ? e.message : String(e);
	}
}

/** What a refused conference or transfer request means, by the server's code (C1–C3, C14). */
export function requestRefusal(e: unknown, kind: 'conference' | 'transfer'): string {
	const code = e instanceof ApiError ? e.code : null;
	switch (code) {
		case 'CONFERENCE_DISABLED':
			return 'Chat conferencing is off in your chat configuration. An admin can turn on Enable Chat Conference at /admin.';
		case 'ALREADY_IN_CHAT':
			return 'That agent is already in this chat.';
		case 'TARGET_UNAVAILABLE':
			return 'That agent is not available or has no free capacity right now. Pick someone else, or ask a skill.';
		case 'NO_AGENT_AVAILABLE':
			return 'No available agent with that skill has room right now. Try again in a moment, or pick an agent.';
		case 'DUPLICATE_REQUEST':
			return `You already have a ${kind} request pending to that target. Wait for the answer or cancel it.`;
		case 'TRANSFER_NEEDS_OMNI':
			return 'This chat is in conference and routed by button skills, so it cannot be transferred. Transfers of a conference need Omni-Channel routing.';
		case 'CHAT_NOT_ACTIVE':
			return 'This chat is no longer active.';
		default:
			return e instanceof Error ? e.message : String(e);
	}
}
