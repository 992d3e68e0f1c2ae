import { describe, expect, it } from 'vitest';
import { availableActions } from '$lib/core/conference/rules';
import type { AgentConfig, Participant } from '$lib/core/types';
import type { Me } from '$lib/sync/api';
import { agentFacts, chatFacts, conferenceOffReason } from './facts';

// The console's buttons from the chat document and /api/me, through the server's own rules.
const p = (id: string, joinedAt: number, leftAt?: number): Participant => ({ id, role: 'agent', name: id, joinedAt, leftAt });
const customer: Participant = { id: 'pat', role: 'customer', name: 'Pat', joinedAt: 0 };
const me = (conferenceEnabled: boolean): Me => ({
	id: 'ada', email: 'ada@parley.test', name: 'Ada', role: 'agent', permissions: [], skills: ['billing'], capacity: 3,
	presence: 'available', chatConfiguration: { id: 'x', name: 'X', conferenceEnabled, requestTimeoutSec: 60 }
});
const meta = (routing: 'omni' | 'button') => ({ status: 'active' as const, routing });

describe('console actions from the chat document', () => {
	it('[C7] agents now are those without leftAt, oldest join first; the customer is not one', () => {
		const facts = chatFacts('c1', meta('omni'), [p('linus', 9), customer, p('grace', 3, 7), p('ada', 1)]);
		expect(facts.agentIds).toEqual(['ada', 'linus']);
	});
	it('[C8] the last agent gets End Conversation, not Leave', () => {
		const a = availableActions(chatFacts('c1', meta('omni'), [customer, p('ada', 1), p('grace', 2, 5)]), agentFacts(me(true), 1));
		expect([a.leave, a.end]).toEqual([false, true]);
	});
	it('[C7][C8] with another agent in, Leave and no End', () => {
		const a = availableActions(chatFacts('c1', meta('omni'), [customer, p('ada', 1), p('grace', 2)]), agentFacts(me(true), 1));
		expect([a.leave, a.end]).toEqual([true, false]);
	});
	it('[C1] no Conference control without Enable Chat Conference (or without a configuration)', () => {
		const chat = chatFacts('c1', meta('omni'), [customer, p('ada', 1)]);
		expect(availableActions(chat, agentFacts(me(true), 1)).conference).toBe(true);
		expect(availableActions(chat, agentFacts(me(false), 1)).conference).toBe(false);
		expect(availableActions(chat, agentFacts({ ...me(true), chatConfiguration: null }, 1)).conference).toBe(false);
	});
	it('[C14] a conference on button routing shows the reason instead of Transfer', () => {
		const button = availableActions(chatFacts('c1', meta('button'), [customer, p('ada', 1), p('linus', 2)]), agentFacts(me(true), 1));
		expect(button.transfer.allowed).toBe(false);
		expect(button.transfer.reason).toMatch(/Omni-Channel/);
		const omni = availableActions(chatFacts('c1', meta('omni'), [customer, p('ada', 1), p('linus', 2)]), agentFacts(me(true), 1));
		expect(omni.transfer).toEqual({ allowed: true, reason: null });
	});
	it('nothing to do before the document says the chat is active', () => {
		const a = availableActions(chatFacts('c1', {}, [customer, p('ada', 1)]), agentFacts(me(true), 1));
		expect([a.conference, a.transfer.allowed]).toEqual([false, false]);
	});

	it('[#16 live configuration] the configuration in my agent document wins over /api/me, and the console says why Conference is off', () => {
		const chat = chatFacts('c1', meta('omni'), [customer, p('ada', 1)]);
		const live = (conferenceEnabled: boolean, name: string | null = 'X'): AgentConfig =>
			name ? { configurationId: 'x', name, conferenceEnabled, requestTimeoutSec: 60, at: 5 } : { configurationId: null, name, conferenceEnabled, requestTimeoutSec: null, at: 5 };
		expect(availableActions(chat, agentFacts(me(true), 1, live(false))).conference).toBe(false);
		expect(availableActions(chat, agentFacts(me(false), 1, live(true))).conference).toBe(true);
		expect(conferenceOffReason(me(true), live(true))).toBeNull();
		expect(conferenceOffReason(me(true), live(false))).toMatch(/^Your chat configuration \(X\) has Enable Chat Conference off/);
		expect(conferenceOffReason(me(true), live(false, null))).toMatch(/no chat configuration/);
		expect(conferenceOffReason(me(false), null)).toMatch(/\(X\)/);
	});
});
