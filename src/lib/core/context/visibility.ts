// C10 and C11: what an agent may see of the customer's other chats and of records.
export interface Viewer {
	id: string;
	skills: readonly string[];
	permissions: readonly string[];
}

export const VIEW_ALL_CHATS = 'view_all_chats';

/** C10: an earlier chat is viewable when the agent took part, has its skill, or may view all chats. */
export function canViewChat(viewer: Viewer, chat: { skill: string; agentIds: readonly string[] }): boolean {
	return (
		viewer.permissions.includes(VIEW_ALL_CHATS) ||
		chat.agentIds.includes(viewer.id) ||
		viewer.skills.includes(chat.skill)
	);
}

/** C11: a record names what is needed to see it: a skill, a named agent, or nothing (everyone). */
export interface RecordAccess {
	requiredSkill: string | null;
	requiredAgentId: string | null;
}

export function canSeeRecord(viewer: Viewer, record: RecordAccess): boolean {
	if (record.requiredAgentId !== null && record.requiredAgentId !== viewer.id) return false;
	if (record.requiredSkill !== null && !viewer.skills.includes(record.requiredSkill)) return false;
	return true;
}

/** Splits items into those the viewer may see and a count of the rest (never their content). */
export function partition<T>(items: readonly T[], visible: (item: T) => boolean): { shown: T[]; withheld: number } {
	const shown = items.filter(visible);
	return { shown, withheld: items.length - shown.length };
}
