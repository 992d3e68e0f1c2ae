import { describe, expect, it } from 'vitest';
import { displayParticipants } from './display-participants';

describe('participants as the replay shows them (A2, T2)', () => {
	it('[T2] any value reads as a list, odd entries made safe, present first', () => {
		for (const v of [null, undefined, 3, 'x', [], [{ id: 'a' }]]) expect(displayParticipants(v)).toEqual([]);
		const people = displayParticipants({
			grace: { id: 'grace', role: 'agent', name: 'Grace', joinedAt: 20, leftAt: 30 },
			pat: { id: 'pat', role: 'customer', name: 'Pat', joinedAt: 10 },
			bad: null,
			odd: { id: 'pat', name: 7, joinedAt: 1e300, leftAt: Number.NaN },
			ada: { id: 'ada', role: 'agent', name: 'Ada', joinedAt: 15, leftAt: null }
		});
		expect(people.map((p) => [p.key, p.id, p.name, p.left, p.joinedAt, p.leftAt])).toEqual([
			['pat', 'pat', 'Pat', false, 10, null],
			['ada', 'ada', 'Ada', false, 15, null],
			['odd', 'pat', 'Unknown', true, null, null],
			['grace', 'grace', 'Grace', true, 20, 30]
		]);
		expect(new Set(people.map((p) => p.key)).size).toBe(people.length);
	});
});
