import { describe, expect, it } from 'vitest';
import { chatOwner } from './owner';
import { canSeeRecord, canViewChat, partition, VIEW_ALL_CHATS } from './visibility';
import { workspaceRecordIds } from './workspace';

const at = (agentId: string, joinedAt: number, leftAt: number | null = null) => ({ agentId, joinedAt, leftAt });

describe('owner succession (C12)', () => {
	it('[C12] the originating agent owns the chat while it is in it', () => {
		expect(chatOwner('ada', [at('grace', 1), at('ada', 5)])).toBe('ada');
	});
	it('[C12] after the originating agent left, the longest-attending agent owns it', () => {
		expect(chatOwner('ada', [at('ada', 0, 9), at('linus', 7), at('grace', 3)])).toBe('grace');
	});
	it('[C12] ties are broken by id; nobody left means no owner', () => {
		expect(chatOwner('ada', [at('ada', 0, 9), at('linus', 3), at('grace', 3)])).toBe('grace');
		expect(chatOwner('ada', [at('ada', 0, 9)])).toBeNull();
	});
	it('[C12] a rejoin counts from the new join', () => {
		expect(chatOwner(null, [at('grace', 10), at('linus', 4)])).toBe('linus');
	});
});

describe('workspace at join time (C11, C13)', () => {
	const base = { originatingAgentId: 'ada', attendance: [at('ada', 0), at('grace', 5)], attachedNow: ['r1', 'r2'], attachedAtJoin: ['r1'] };
	it('[C13] a non-owner keeps the records attached when it joined', () => {
		expect(workspaceRecordIds({ ...base, agentId: 'grace' })).toEqual({ owner: 'ada', live: false, recordIds: ['r1'] });
	});
	it('[C13] the owner sees the live set', () => {
		expect(workspaceRecordIds({ ...base, agentId: 'ada', attachedAtJoin: [] })).toEqual({ owner: 'ada', live: true, recordIds: ['r1', 'r2'] });
	});
	it('[C12][C13] when ownership passes, the new owner is live from then on', () => {
		const after = { ...base, attendance: [at('ada', 0, 8), at('grace', 5)] };
		expect(workspaceRecordIds({ ...after, agentId: 'grace' })).toEqual({ owner: 'grace', live: true, recordIds: ['r1', 'r2'] });
	});
});

describe('history visibility (C10) and record permission (C11)', () => {
	const grace = { id: 'grace', skills: ['billing'], permissions: [] };
	it('[C10] an agent may read an earlier chat it took part in, or of its skill', () => {
		expect(canViewChat(grace, { skill: 'tech', agentIds: ['grace'] })).toBe(true);
		expect(canViewChat(grace, { skill: 'billing', agentIds: ['linus'] })).toBe(true);
		expect(canViewChat(grace, { skill: 'tech', agentIds: ['linus'] })).toBe(false);
	});
	it('[C10] View All Chats sees everything', () => {
		expect(canViewChat({ ...grace, permissions: [VIEW_ALL_CHATS] }, { skill: 'tech', agentIds: [] })).toBe(true);
	});
	it('[C10] hidden chats are counted, never returned', () => {
		const r = partition([{ skill: 'tech', agentIds: [] }, { skill: 'billing', agentIds: [] }], (c) => canViewChat(grace, c));
		expect(r.shown).toEqual([{ skill: 'billing', agentIds: [] }]);
		expect(r.withheld).toBe(1);
	});
	it('[C11] a record needs its skill or its named agent', () => {
		expect(canSeeRecord(grace, { requiredSkill: null, requiredAgentId: null })).toBe(true);
		expect(canSeeRecord(grace, { requiredSkill: 'billing', requiredAgentId: null })).toBe(true);
		expect(canSeeRecord(grace, { requiredSkill: 'tech', requiredAgentId: null })).toBe(false);
		expect(canSeeRecord(grace, { requiredSkill: null, requiredAgentId: 'linus' })).toBe(false);
		expect(canSeeRecord(grace, { requiredSkill: null, requiredAgentId: 'grace' })).toBe(true);
	});
});
