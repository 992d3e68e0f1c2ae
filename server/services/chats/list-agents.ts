import { loadAgentFacts } from '../conference/conference-facts';
import type { Call } from '../context';
import { requireAgent } from '../identity/require';

/** The conference dialog's directory: every agent with presence, skills and load (UI.md). */
export async function listAgents({ ctx }: Call<undefined>) {
	requireAgent(ctx.actor);
	return {
		agents: (await loadAgentFacts(ctx.store)).map((a) => ({
			id: a.id,
			name: a.name,
			presence: a.presence,
			skills: a.skills,
			capacity: a.capacity,
			activeChats: a.activeChats
		}))
	};
}
