import type { AgentLoad } from './routing';

// B8: where a waiting chat stands and how long it may wait. Pure: the caller loads the facts.

/** Why nobody can take the chat now: none of the topic's agents available, closed, waited too long. */
export type NoAgentReason = 'none_online' | 'closed' | 'busy';

/** `meta.queue` of a waiting chat's document (README "Nobody left hanging"). */
export interface QueueStatus {
	/** 1 = next for the topic's agents (the fair order of route-waiting-chats, same skill only). */
	position: number;
	/** Estimated wait from now, ms; null when there is no estimate (no recent chats, or noAgent). */
	etaMs: number | null;
	/** Set when no agent can take the chat: the customer is offered to leave a message. */
	noAgent: NoAgentReason | null;
}

export interface WaitingChat {
	id: string;
	skill: string;
	createdAt: number;
	/** Whether the topic is inside its business hours now. */
	open: boolean;
	/** A left message waits for whoever comes; it is not offered to leave one again. */
	leftMessage: boolean;
}

export interface QueueFacts {
	/** The waiting chats in the queue's fair order. */
	waiting: readonly WaitingChat[];
	agents: readonly AgentLoad[];
	/** Per skill, the waits (ms from start to an agent's accept) of the skill's recent live chats. */
	recentWaits: ReadonlyMap<string, readonly number[]>;
	now: number;
	/** QUEUE_GIVE_UP_SECONDS in ms: past this wait without an agent, the customer may leave a message. */
	giveUpMs: number;
}

export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/**
 * The estimate (README): the median of the skill's recent waits, times the chat's position,
 * divided by how many agents with the skill are available (at least one): each available agent
 * takes one chat from the queue about every median wait.
 */
export function estimateWait(position: number, waits: readonly number[], availableAgents: number): number | null {
	const m = median(waits);
	if (m === null) return null;
	return Math.round((m * position) / Math.max(1, availableAgents));
}

/**
 * Why nobody could take a chat of a topic right now, before any wait: outside the topic's business
 * hours, or none of its agents available. The start form warns with it (issue 15); a waiting
 * chat's status starts from it.
 */
export function noAgentNow(open: boolean, availableAgents: number): Exclude<NoAgentReason, 'busy'> | null {
	return !open ? 'closed' : availableAgents === 0 ? 'none_online' : null;
}

/** Every waiting chat's QueueStatus, by chat id. */
export function queueStatuses(f: QueueFacts): Map<string, QueueStatus> {
	const out = new Map<string, QueueStatus>();
	const ahead = new Map<string, number>();
	for (const chat of f.waiting) {
		const position = (ahead.get(chat.skill) ?? 0) + 1;
		ahead.set(chat.skill, position);
		const available = f.agents.filter((a) => a.presence === 'available' && a.skills.includes(chat.skill)).length;
		const noAgent: NoAgentReason | null = chat.leftMessage
			? null
			: (noAgentNow(chat.open, available) ?? (f.now - chat.createdAt >= f.giveUpMs ? 'busy' : null));
		const etaMs = noAgent || chat.leftMessage ? null : estimateWait(position, f.recentWaits.get(chat.skill) ?? [], available);
		out.set(chat.id, { position, etaMs, noAgent });
	}
	return out;
}

/** "about 3 minutes", "less than a minute": an estimate for people, rounded up to whole minutes. */
export function waitPhrase(ms: number): string {
	if (ms < 60_000) return 'less than a minute';
	const m = Math.ceil(ms / 60_000);
	return m === 1 ? 'about a minute' : `about ${m} minutes`;
}
