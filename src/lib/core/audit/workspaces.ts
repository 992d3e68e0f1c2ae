import { chatOwner, type Attendance } from '../context/owner';
import { workspaceRecordIds } from '../context/workspace';
import type { AuditEventRow } from './types';

// A2 with C11–C13: the workspace of each agent as it was at a moment. Attendance comes from the
// replayed participants (joins and leaves as of then); attached records from the record events
// decided so far, in order; an agent's join-time set is what was attached when it joined.

interface ParticipantAtMoment {
	id: string;
	role: string;
	name: string;
	joinedAt: number;
	leftAt?: number;
}

export interface WorkspaceAtMoment {
	agentId: string;
	name: string;
	/** The owner's workspace follows attachments live (C12); others keep their join-time set (C13). */
	live: boolean;
	recordIds: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Record ids attached after the record events up to (and including) time `until`, in attach order. */
function attachedUntil(events: readonly AuditEventRow[], until: number): string[] {
	const attached: string[] = [];
	for (const e of events) {
		if (e.at > until) break;
		const id = isRecord(e.data) && typeof e.data.recordId === 'string' ? e.data.recordId : null;
		if (!id) continue;
		if (e.kind === 'record.attached' && !attached.includes(id)) attached.push(id);
		if (e.kind === 'record.removed') {
			const i = attached.indexOf(id);
			if (i >= 0) attached.splice(i, 1);
		}
	}
	return attached;
}

/** C11–C13 at a moment: the owner and each present agent's workspace. `events` are those decided so far. */
export function workspacesAt(input: {
	originatingAgentId: string | null;
	participants: Record<string, unknown>;
	events: readonly AuditEventRow[];
}): { owner: string | null; workspaces: WorkspaceAtMoment[] } {
	const agents = Object.values(input.participants).filter(
		(p): p is ParticipantAtMoment => isRecord(p) && p.role === 'agent' && typeof p.id === 'string' && typeof p.joinedAt === 'number'
	);
	const attendance: Attendance[] = agents.map((a) => ({ agentId: a.id, joinedAt: a.joinedAt, leftAt: a.leftAt ?? null }));
	const recordEvents = input.events.filter((e) => e.kind === 'record.attached' || e.kind === 'record.removed');
	const attachedNow = attachedUntil(recordEvents, Number.MAX_SAFE_INTEGER);
	const workspaces = agents
		.filter((a) => a.leftAt === undefined)
		.map((a) => {
			const ws = workspaceRecordIds({
				agentId: a.id,
				originatingAgentId: input.originatingAgentId,
				attendance,
				attachedNow,
				attachedAtJoin: attachedUntil(recordEvents, a.joinedAt)
			});
			return { agentId: a.id, name: a.name, live: ws.live, recordIds: ws.recordIds };
		});
	return { owner: chatOwner(input.originatingAgentId, attendance), workspaces };
}
