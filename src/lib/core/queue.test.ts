import { describe, expect, it } from 'vitest';
import { estimateWait, median, noAgentNow, queueStatuses, type WaitingChat } from './queue';
import type { AgentLoad } from './routing';

const agent = (id: string, skills: string[], presence: AgentLoad['presence'] = 'available'): AgentLoad => ({
	id, presence, skills, capacity: 2, activeChats: 0, lastAssignedAt: 0
});
const chat = (id: string, skill: string, createdAt = 0, more: Partial<WaitingChat> = {}): WaitingChat => ({
	id, skill, createdAt, open: true, leftMessage: false, ...more
});

describe('[B8] queue position and estimate', () => {
	it('median of the waits; the estimate is median × position / available agents', () => {
		expect(median([])).toBeNull();
		expect(median([30, 10, 20])).toBe(20);
		expect(median([10, 20])).toBe(15);
		expect(estimateWait(3, [60_000], 2)).toBe(90_000);
		expect(estimateWait(1, [], 2)).toBeNull();
	});

	it('positions count only the chats of the same skill ahead, in queue order', () => {
		const s = queueStatuses({
			waiting: [chat('a', 'billing'), chat('b', 'tech'), chat('c', 'billing')],
			agents: [agent('ada', ['billing', 'tech'])],
			recentWaits: new Map([['billing', [60_000]]]),
			now: 1000,
			giveUpMs: 60_000
		});
		expect(s.get('a')).toEqual({ position: 1, etaMs: 60_000, noAgent: null });
		expect(s.get('b')).toEqual({ position: 1, etaMs: null, noAgent: null });
		expect(s.get('c')).toEqual({ position: 2, etaMs: 120_000, noAgent: null });
	});

	it('nobody available, outside hours, or waited past the give-up time: noAgent says why', () => {
		const s = queueStatuses({
			waiting: [chat('a', 'billing'), chat('b', 'tech', 0, { open: false }), chat('c', 'sales'), chat('d', 'billing', 0, { leftMessage: true })],
			agents: [agent('ada', ['billing', 'tech']), agent('linus', ['sales'], 'offline')],
			recentWaits: new Map(),
			now: 60_000,
			giveUpMs: 60_000
		});
		expect(s.get('a')?.noAgent).toBe('busy');
		expect(s.get('b')?.noAgent).toBe('closed');
		expect(s.get('c')?.noAgent).toBe('none_online');
		expect(s.get('d')).toEqual({ position: 2, etaMs: null, noAgent: null });
	});
});

describe('[#15 B8] the start form\'s warning', () => {
	it('[#15 B8] closed hours come first, then nobody available; else nothing to warn of', () => {
		expect(noAgentNow(false, 3)).toBe('closed');
		expect(noAgentNow(false, 0)).toBe('closed');
		expect(noAgentNow(true, 0)).toBe('none_online');
		expect(noAgentNow(true, 1)).toBeNull();
	});
});
