import { loadAgentFacts } from '../conference/conference-facts';
import type { Ctx, Identity } from '../context';
import { requireAgent } from '../identity/require';

/** The conference dialog's directory: every agent with presence, skills and load (UI.md). */
export function listAgents(ctx: Ctx, identity: Identity | null) {
	requireAgent(identity);
	return {
		agents: loadAgentFacts(ctx.db).map((a) => ({
			id: a.id,
			name: a.name,
			presence: a.presence,
			skills: a.skills,
			capacity: a.capacity,
			activeChats: a.activeChats
		}))
	};
}
