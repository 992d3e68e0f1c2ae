import { describe, expect, it } from 'vitest';
import {
	availableActions,
	checkAccept,
	checkAgentEnd,
	checkCancel,
	checkDecline,
	checkLeave,
	checkRequest,
	dueForExpiry
} from './rules';
import type { AgentFacts, ChatFacts, ConferenceRequest } from './types';

const agent = (id: string, o: Partial<AgentFacts> = {}): AgentFacts => ({
	id,
	name: id,
	presence: 'available',
	skills: ['billing', 'tech'],
	capacity: 3,
	activeChats: 0,
	conferenceEnabled: true,
	...o
});
const chat = (agentIds: string[], status: ChatFacts['status'] = 'active'): ChatFacts => ({ id: 'c1', status, agentIds });
const request = (o: Partial<ConferenceRequest> = {}): ConferenceRequest => ({
	id: 'r1',
	kind: 'conference',
	chatId: 'c1',
	requesterId: 'ada',
	target: { kind: 'agent', agentId: 'grace' },
	status: 'pending',
	createdAt: 0,
	expiresAt: 60_000,
	offers: [{ agentId: 'grace', declined: false }],
	...o
});
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('conference requests (C1–C3)', () => {
	const agents = [agent('ada'), agent('grace', { skills: ['billing'] }), agent('linus', { skills: ['tech'] })];
	const base = { requester: agents[0], chat: chat(['ada']), agents, pending: [] };

	it('[C1] a request needs Enable Chat Conference on the requester configuration', () => {
		const r = checkRequest({ ...base, requester: agent('ada', { conferenceEnabled: false }), target: { kind: 'agent', agentId: 'grace' } });
		expect(codeOf(r)).toBe('CONFERENCE_DISABLED');
	});

	it('[C2] a request to one agent is offered to that agent only', () => {
		const r = checkRequest({ ...base, target: { kind: 'agent', agentId: 'grace' } });
		expect(r.ok && r.value.map((a) => a.id)).toEqual(['grace']);
	});

	it('[C2] a skill request is offered to every available agent with the skill not already in the chat', () => {
		const r = checkRequest({ ...base, target: { kind: 'skill', skill: 'tech' } });
		expect(r.ok && r.value.map((a) => a.id)).toEqual(['linus']);
		const busy = checkRequest({ ...base, agents: [agents[0], agent('linus', { skills: ['tech'], presence: 'busy' })], target: { kind: 'skill', skill: 'tech' } });
		expect(codeOf(busy)).toBe('NO_AGENT_AVAILABLE');
	});

	it('[C2] an unavailable or full target is refused', () => {
		const away = [agents[0], agent('grace', { presence: 'offline' })];
		expect(codeOf(checkRequest({ ...base, agents: away, target: { kind: 'agent', agentId: 'grace' } }))).toBe('TARGET_UNAVAILABLE');
		const full = [agents[0], agent('grace', { activeChats: 3 })];
		expect(codeOf(checkRequest({ ...base, agents: full, target: { kind: 'agent', agentId: 'grace' } }))).toBe('TARGET_UNAVAILABLE');
	});

	it('[C3] several requests may be pending, but not two to the same target', () => {
		const pending = [request()];
		expect(codeOf(checkRequest({ ...base, pending, target: { kind: 'agent', agentId: 'grace' } }))).toBe('DUPLICATE_REQUEST');
		expect(codeOf(checkRequest({ ...base, pending, target: { kind: 'skill', skill: 'tech' } }))).toBe('ok');
	});

	it('[C1] only an agent in an active chat may send a request; not to someone already in it', () => {
		expect(codeOf(checkRequest({ ...base, chat: chat(['grace']), target: { kind: 'agent', agentId: 'linus' } }))).toBe('NOT_PARTICIPANT');
		expect(codeOf(checkRequest({ ...base, chat: chat(['ada'], 'ended'), target: { kind: 'agent', agentId: 'grace' } }))).toBe('CHAT_NOT_ACTIVE');
		expect(codeOf(checkRequest({ ...base, chat: chat(['ada', 'grace']), target: { kind: 'agent', agentId: 'grace' } }))).toBe('ALREADY_IN_CHAT');
	});
});

describe('answering a request (C2, C4, C5, C15)', () => {
	const grace = agent('grace');
	it('[C4] an offered agent accepts a pending request', () => {
		expect(codeOf(checkAccept(request(), grace, chat(['ada']), 1000))).toBe('ok');
	});

	it('[C15] an expired request cannot be accepted, even a millisecond late', () => {
		expect(codeOf(checkAccept(request(), grace, chat(['ada']), 59_999))).toBe('ok');
		expect(codeOf(checkAccept(request(), grace, chat(['ada']), 60_000))).toBe('EXPIRED');
		expect(dueForExpiry([request()], 60_000)).toHaveLength(1);
		expect(dueForExpiry([request()], 59_999)).toHaveLength(0);
	});

	it('[C15] each ended request refuses accept with its outcome', () => {
		const cases = [
			['accepted', 'TAKEN'],
			['withdrawn', 'WITHDRAWN'],
			['cancelled', 'CANCELLED'],
			['expired', 'EXPIRED'],
			['declined', 'DECLINED']
		] as const;
		for (const [status, code] of cases) expect(codeOf(checkAccept(request({ status }), grace, chat(['ada']), 1))).toBe(code);
	});

	it('[C2] only offered agents may accept; capacity and membership are checked', () => {
		expect(codeOf(checkAccept(request(), agent('linus'), chat(['ada']), 1))).toBe('NOT_OFFERED');
		expect(codeOf(checkAccept(request(), agent('grace', { activeChats: 3 }), chat(['ada']), 1))).toBe('AT_CAPACITY');
		expect(codeOf(checkAccept(request(), grace, chat(['ada', 'grace']), 1))).toBe('ALREADY_IN_CHAT');
		expect(codeOf(checkAccept(request(), grace, chat(['ada'], 'ended'), 1))).toBe('WITHDRAWN');
	});

	it('[C5] a decline by the only offeree declines the request', () => {
		expect(checkDecline(request(), 'grace', 1)).toEqual({ ok: true, value: { requestDeclined: true } });
	});

	it('[C5] a skill request stays pending until every offeree declined', () => {
		const skill = request({
			target: { kind: 'skill', skill: 'tech' },
			offers: [
				{ agentId: 'grace', declined: false },
				{ agentId: 'linus', declined: false }
			]
		});
		expect(checkDecline(skill, 'grace', 1)).toEqual({ ok: true, value: { requestDeclined: false } });
		const oneLeft = { ...skill, offers: [{ agentId: 'grace', declined: true }, { agentId: 'linus', declined: false }] };
		expect(checkDecline(oneLeft, 'linus', 1)).toEqual({ ok: true, value: { requestDeclined: true } });
		expect(codeOf(checkDecline(oneLeft, 'grace', 1))).toBe('DECLINED');
		expect(codeOf(checkAccept(oneLeft, grace, chat(['ada']), 1))).toBe('DECLINED');
		expect(codeOf(checkDecline(skill, 'margaret', 1))).toBe('NOT_OFFERED');
	});

	it('[C15] only the requester cancels, and only while pending', () => {
		expect(codeOf(checkCancel(request(), 'ada', 1))).toBe('ok');
		expect(codeOf(checkCancel(request(), 'grace', 1))).toBe('NOT_REQUESTER');
		expect(codeOf(checkCancel(request({ status: 'accepted' }), 'ada', 1))).toBe('TAKEN');
		expect(codeOf(checkCancel(request(), 'ada', 60_000))).toBe('EXPIRED');
	});
});

describe('leaving and ending (C7, C8)', () => {
	it('[C7] an agent leaves while another agent remains', () => {
		expect(codeOf(checkLeave(chat(['ada', 'grace']), 'grace'))).toBe('ok');
		expect(codeOf(checkLeave(chat(['ada', 'grace']), 'linus'))).toBe('NOT_PARTICIPANT');
	});

	it('[C8] the last agent cannot leave; it ends the chat', () => {
		expect(codeOf(checkLeave(chat(['ada']), 'ada'))).toBe('LAST_AGENT');
		expect(codeOf(checkAgentEnd(chat(['ada']), 'ada'))).toBe('ok');
	});

	it('[C8] End Conversation is only for the last agent', () => {
		expect(codeOf(checkAgentEnd(chat(['ada', 'grace']), 'ada'))).toBe('NOT_LAST_AGENT');
		expect(codeOf(checkAgentEnd(chat(['ada'], 'ended'), 'ada'))).toBe('CHAT_ENDED');
		expect(codeOf(checkAgentEnd(chat(['ada']), 'grace'))).toBe('NOT_PARTICIPANT');
	});

	it('[C1][C8] the console shows exactly the actions the rules allow', () => {
		expect(availableActions(chat(['ada']), agent('ada'))).toMatchObject({ conference: true, leave: false, end: true });
		expect(availableActions(chat(['ada', 'grace']), agent('ada'))).toMatchObject({ conference: true, leave: true, end: false });
		expect(availableActions(chat(['margaret']), agent('margaret', { conferenceEnabled: false }))).toMatchObject({ conference: false, leave: false, end: true });
	});
});

describe('transfer (L4, C14)', () => {
	const agents = [agent('ada'), agent('grace'), agent('linus')];
	const conf = (routing: 'omni' | 'button') => ({ id: 'c1', status: 'active' as const, routing, agentIds: ['ada', 'grace'] });

	it('[C14] a chat in conference routed with button skills cannot be transferred', () => {
		const r = checkRequest({ kind: 'transfer', requester: agents[0], chat: conf('button'), target: { kind: 'agent', agentId: 'linus' }, agents, pending: [] });
		expect(codeOf(r)).toBe('TRANSFER_NEEDS_OMNI');
		expect(availableActions(conf('button'), agents[0]).transfer).toEqual({ allowed: false, reason: expect.stringMatching(/Omni-Channel/) });
	});

	it('[C14] a chat in conference routed with omni can be transferred', () => {
		const r = checkRequest({ kind: 'transfer', requester: agents[0], chat: conf('omni'), target: { kind: 'agent', agentId: 'linus' }, agents, pending: [] });
		expect(codeOf(r)).toBe('ok');
	});

	it('[L4] a one-agent chat transfers whatever its routing, and needs no conference permission', () => {
		const solo = { id: 'c1', status: 'active' as const, routing: 'button' as const, agentIds: ['ada'] };
		const r = checkRequest({ kind: 'transfer', requester: agent('ada', { conferenceEnabled: false }), chat: solo, target: { kind: 'skill', skill: 'tech' }, agents, pending: [] });
		expect(codeOf(r)).toBe('ok');
		expect(availableActions(solo, agents[0]).transfer).toEqual({ allowed: true, reason: null });
	});
});
