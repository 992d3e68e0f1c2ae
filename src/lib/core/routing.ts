import type { Presence, Routing } from './types';

// L1/L3: who a new chat goes to. Pure: the caller loads the facts.
export interface AgentLoad {
	id: string;
	presence: Presence;
	skills: readonly string[];
	capacity: number;
	activeChats: number;
	/** When the agent last took a chat (ms), to share work fairly; 0 if never. */
	lastAssignedAt: number;
}

export const hasFreeCapacity = (a: AgentLoad) => a.activeChats < a.capacity;

const canTake = (a: AgentLoad, skill: string) =>
	a.presence === 'available' && a.skills.includes(skill) && hasFreeCapacity(a);

/**
 * [L1] omni pushes to ONE agent: the least loaded (by share of capacity), then the one
 * idle longest, then by id so the choice is deterministic.
 */
export function pickOmniAgent(agents: readonly AgentLoad[], skill: string): AgentLoad | null {
	const eligible = agents.filter((a) => canTake(a, skill));
	eligible.sort(
		(x, y) =>
			x.activeChats / x.capacity - y.activeChats / y.capacity ||
			x.lastAssignedAt - y.lastAssignedAt ||
			(x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
	);
	return eligible[0] ?? null;
}

/** [L1] button offers to EVERY available agent with the skill and room for one more chat. */
export function buttonOfferees(agents: readonly AgentLoad[], skill: string): AgentLoad[] {
	return agents.filter((a) => canTake(a, skill));
}

/** Who should be offered a waiting chat now, by its routing type. */
export function offereesFor(
	routing: Routing,
	agents: readonly AgentLoad[],
	skill: string
): AgentLoad[] {
	switch (routing) {
		case 'omni': {
			const one = pickOmniAgent(agents, skill);
			return one ? [one] : [];
		}
		case 'button':
			return buttonOfferees(agents, skill);
		default: {
			const never: never = routing;
			throw new Error(`unknown routing ${never}`);
		}
	}
}
