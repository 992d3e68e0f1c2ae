import { describe, expect, it } from 'vitest';
import type { AuditEventRow } from './types';
import { workspacesAt } from './workspaces';

let n = 0;
const ev = (kind: string, recordId: string, at: number): AuditEventRow => ({ id: ++n, chatId: 'c', actor: 'ada', kind, data: { recordId }, at });
const p = (id: string, joinedAt: number, leftAt?: number) => ({ id, role: 'agent', name: id, joinedAt, ...(leftAt ? { leftAt } : {}) });

describe('workspaces at a moment (A2 with C11–C13)', () => {
	const events = [ev('record.attached', 'r1', 10), ev('record.attached', 'r2', 20), ev('record.removed', 'r1', 40), ev('record.attached', 'r3', 50)];

	it('[C13] the owner sees the live set; an agent who joined earlier keeps its join-time set', () => {
		const at = workspacesAt({ originatingAgentId: 'ada', participants: { ada: p('ada', 5), grace: p('grace', 30), pat: { id: 'pat', role: 'customer', name: 'Pat', joinedAt: 1 } }, events });
		expect(at.owner).toBe('ada');
		expect(at.workspaces).toEqual([
			{ agentId: 'ada', name: 'ada', live: true, recordIds: ['r2', 'r3'] },
			{ agentId: 'grace', name: 'grace', live: false, recordIds: ['r1', 'r2'] }
		]);
	});

	it('[C12] once the originating agent left, the longest-attending agent owns the live set', () => {
		const at = workspacesAt({ originatingAgentId: 'ada', participants: { ada: p('ada', 5, 45), grace: p('grace', 30), linus: p('linus', 35) }, events });
		expect(at.owner).toBe('grace');
		expect(at.workspaces.map((w) => [w.agentId, w.live, w.recordIds])).toEqual([
			['grace', true, ['r2', 'r3']],
			['linus', false, ['r1', 'r2']]
		]);
	});

	it('[A2] before anyone joined there are no workspaces', () => {
		expect(workspacesAt({ originatingAgentId: null, participants: {}, events: [] })).toEqual({ owner: null, workspaces: [] });
	});

	it('[#16 transfer] at each moment the owner is who accepted the chat, then who accepted its transfer', () => {
		const took = (actor: string, kind: string, at: number): AuditEventRow => ({ id: ++n, chatId: 'c', actor, kind, data: {}, at });
		const participants = { ada: p('ada', 5), linus: p('linus', 8), grace: p('grace', 12) };
		const before = [took('ada', 'chat.accepted', 5)];
		// The chat's row already names Grace (the latest transfer); before it, Ada was the originator.
		expect(workspacesAt({ originatingAgentId: 'grace', participants, events: before }).owner).toBe('ada');
		const after = [...before, took('grace', 'transfer.accepted', 12)];
		expect(workspacesAt({ originatingAgentId: 'grace', participants: { ...participants, ada: p('ada', 5, 12) }, events: after }).owner).toBe('grace');
	});
});
