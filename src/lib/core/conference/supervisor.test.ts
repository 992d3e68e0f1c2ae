import { describe, expect, it } from 'vitest';
import { checkSupervisorJoin } from './supervisor';
import type { AgentFacts, ChatFacts, ConferenceRequest } from './types';

const sam: AgentFacts = { id: 'sam', name: 'Sam', presence: 'offline', skills: ['billing'], capacity: 3, activeChats: 0, conferenceEnabled: true };
const chat = (agentIds: string[], status: ChatFacts['status'] = 'active'): ChatFacts => ({ id: 'c1', status, agentIds });
const pendingTo = (agentId: string): ConferenceRequest => ({
	id: 'r1', kind: 'conference', chatId: 'c1', requesterId: 'sam', target: { kind: 'agent', agentId },
	status: 'pending', createdAt: 0, expiresAt: 60_000, offers: [{ agentId, declined: false }]
});
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('[#14 B6] a supervisor joins through a request to itself', () => {
	it('[#14 B6] a live chat of its teams, whatever its presence: offered to itself only', () => {
		const r = checkSupervisorJoin({ supervisor: sam, chat: chat(['ada']), supervised: true, pending: [] });
		expect(r).toEqual({ ok: true, value: [sam] });
	});
	it('[#14 B6] refused: another team, not active, already in, already asked', () => {
		expect(codeOf(checkSupervisorJoin({ supervisor: sam, chat: chat(['ada']), supervised: false, pending: [] }))).toBe('FORBIDDEN');
		expect(codeOf(checkSupervisorJoin({ supervisor: sam, chat: chat([], 'waiting'), supervised: true, pending: [] }))).toBe('CHAT_NOT_ACTIVE');
		expect(codeOf(checkSupervisorJoin({ supervisor: sam, chat: chat(['ada'], 'ended'), supervised: true, pending: [] }))).toBe('CHAT_NOT_ACTIVE');
		expect(codeOf(checkSupervisorJoin({ supervisor: sam, chat: chat(['ada', 'sam']), supervised: true, pending: [] }))).toBe('ALREADY_IN_CHAT');
		expect(codeOf(checkSupervisorJoin({ supervisor: sam, chat: chat(['ada']), supervised: true, pending: [pendingTo('sam')] }))).toBe('DUPLICATE_REQUEST');
	});
});
