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

/**
 * L4/C12 at a moment: the originating agent is whoever accepted the chat, then whoever accepted
 * each transfer of it (the chat's row holds only the latest). Without those events, `current`.
 */
export function originatingAgentAt(events: readonly AuditEventRow[], current: string | null): string | null {
	let origin: string | null = null;
	for (const e of events) if (e.kind === 'chat.accepted' || e.kind === 'transfer.accepted') origin = e.actor;
	return origin ?? current;
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
	const origin = originatingAgentAt(input.events, input.originatingAgentId);
	const workspaces = agents
		.filter((a) => a.leftAt === undefined)
		.map((a) => {
			const ws = workspaceRecordIds({
				agentId: a.id,
				originatingAgentId: origin,
				attendance,
				attachedNow,
				attachedAtJoin: attachedUntil(recordEvents, a.joinedAt)
			});
			return { agentId: a.id, name: a.name, live: ws.live, recordIds: ws.recordIds };
		});
	return { owner: chatOwner(origin, attendance), workspaces };
}
