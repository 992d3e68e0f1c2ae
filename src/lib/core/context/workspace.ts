import type { Attendance } from './owner';
import { chatOwner } from './owner';

// C11/C13: which records an agent's workspace holds. The owner's is live (what is attached now);
// every other agent keeps the set attached at the moment it joined, whatever the owner does later.
export interface WorkspaceInput {
	agentId: string;
	originatingAgentId: string | null;
	attendance: readonly Attendance[];
	/** Record ids attached now. */
	attachedNow: readonly string[];
	/** Record ids attached when this agent joined (its snapshot). */
	attachedAtJoin: readonly string[];
}

export function workspaceRecordIds(input: WorkspaceInput): { owner: string | null; live: boolean; recordIds: readonly string[] } {
	const owner = chatOwner(input.originatingAgentId, input.attendance);
	const live = owner === input.agentId;
	return { owner, live, recordIds: live ? input.attachedNow : input.attachedAtJoin };
}
