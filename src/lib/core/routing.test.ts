import { describe, expect, it } from 'vitest';
import { buttonOfferees, hasFreeCapacity, offereesFor, pickOmniAgent, type AgentLoad } from './routing';

const agent = (id: string, o: Partial<AgentLoad> = {}): AgentLoad => ({
	id,
	presence: 'available',
	skills: ['billing'],
	capacity: 2,
	activeChats: 0,
	lastAssignedAt: 0,
	...o
});

describe('routing', () => {
	it('[L1] omni pushes to one available agent with the skill', () => {
		const picked = pickOmniAgent([agent('a', { skills: ['tech'] }), agent('b')], 'billing');
		expect(picked?.id).toBe('b');
	});

	it('[L1] omni prefers the least loaded share of capacity, then the longest idle, then the id', () => {
		expect(pickOmniAgent([agent('a', { activeChats: 1 }), agent('b', { capacity: 3, activeChats: 1 })], 'billing')?.id).toBe('b');
		expect(pickOmniAgent([agent('a', { lastAssignedAt: 20 }), agent('b', { lastAssignedAt: 10 })], 'billing')?.id).toBe('b');
		expect(pickOmniAgent([agent('b'), agent('a')], 'billing')?.id).toBe('a');
	});

	it('[L3] busy, offline and full agents are never picked', () => {
		const agents = [
			agent('busy', { presence: 'busy' }),
			agent('off', { presence: 'offline' }),
			agent('full', { activeChats: 2 })
		];
		expect(pickOmniAgent(agents, 'billing')).toBeNull();
		expect(buttonOfferees(agents, 'billing')).toEqual([]);
		expect(hasFreeCapacity(agent('x', { activeChats: 1 }))).toBe(true);
		expect(hasFreeCapacity(agent('x', { activeChats: 2 }))).toBe(false);
	});

	it('[L1] button offers to every available agent with the skill and room', () => {
		const agents = [agent('a'), agent('b'), agent('c', { skills: ['tech'] }), agent('d', { activeChats: 2 })];
		expect(buttonOfferees(agents, 'billing').map((a) => a.id)).toEqual(['a', 'b']);
		expect(offereesFor('button', agents, 'billing')).toHaveLength(2);
		expect(offereesFor('omni', agents, 'billing')).toHaveLength(1);
		expect(offereesFor('omni', agents, 'none')).toEqual([]);
	});
});
