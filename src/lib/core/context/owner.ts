// C12: who owns a chat's records — the originating agent while it is in the chat; after it left,
// the longest-attending agent still in the chat (earliest current join; ties by id).
export interface Attendance {
	agentId: string;
	joinedAt: number;
	leftAt: number | null;
}

export function chatOwner(originatingAgentId: string | null, attendance: readonly Attendance[]): string | null {
	const present = attendance.filter((a) => a.leftAt === null);
	if (originatingAgentId && present.some((a) => a.agentId === originatingAgentId)) return originatingAgentId;
	const sorted = [...present].sort(
		(x, y) => x.joinedAt - y.joinedAt || (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0)
	);
	return sorted[0]?.agentId ?? null;
}
