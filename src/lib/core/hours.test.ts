import { describe, expect, it } from 'vitest';
import { hoursProblem, isOpen, type BusinessHours } from './hours';

const berlin: BusinessHours = { timeZone: 'Europe/Berlin', days: { mon: [['09:00', '17:00']], sat: [['10:00', '12:00']] } };
// Monday 2026-12-07 in Berlin is UTC+1.
const at = (iso: string) => Date.parse(iso);

describe('[B8] business hours', () => {
	it('is open inside an interval of the local weekday, closed outside and on unlisted days', () => {
		expect(isOpen(berlin, at('2026-12-07T08:00:00Z'))).toBe(true); // 09:00 local
		expect(isOpen(berlin, at('2026-12-07T07:59:00Z'))).toBe(false); // 08:59 local
		expect(isOpen(berlin, at('2026-12-07T16:00:00Z'))).toBe(false); // 17:00 local: end excluded
		expect(isOpen(berlin, at('2026-12-08T10:00:00Z'))).toBe(false); // Tuesday
		expect(isOpen(berlin, at('2026-12-12T09:30:00Z'))).toBe(true); // Saturday 10:30 local
	});
	it('no hours means always open; 00:00–24:00 is the whole day', () => {
		expect(isOpen(null, 0)).toBe(true);
		const all: BusinessHours = { timeZone: 'UTC', days: { mon: [['00:00', '24:00']] } };
		expect(isOpen(all, at('2026-12-07T23:59:00Z'))).toBe(true);
		expect(isOpen(all, at('2026-12-08T00:00:00Z'))).toBe(false);
	});
	it('names what is wrong with unusable hours', () => {
		expect(hoursProblem({ timeZone: 'Mars/Olympus', days: {} })).toMatch(/time zone/);
		expect(hoursProblem({ timeZone: 'UTC', days: { mon: [['25:00', '26:00']] } })).toMatch(/HH:MM/);
		expect(hoursProblem({ timeZone: 'UTC', days: { mon: [['10:00', '09:00']] } })).toMatch(/ends before/);
		expect(hoursProblem({ timeZone: 'UTC', days: { funday: [] } as never })).toMatch(/weekday/);
		expect(hoursProblem(berlin)).toBeNull();
	});
});
