import { validTime } from '$lib/core/display-message';

// Times as people read them: relative in the UI, exact on hover (UI.md "Everywhere"). A stored
// time may be anything (T2), so each of these takes any value and never throws: a time a Date
// cannot hold reads "time unknown". The staff pages' shorter forms are in staff-time.ts, so this
// chunk, which the customer page loads too, carries only what it uses.

/** What a time a Date cannot hold reads as. */
export const UNKNOWN = 'time unknown';

/** "just now", "4 min ago", "2 h ago", or a date for anything older than a day. */
export function relativeTime(value: unknown, now: number): string {
	const at = validTime(value);
	if (at === null) return UNKNOWN;
	const s = Math.max(0, Math.round((now - at) / 1000));
	if (s < 45) return 'just now';
	const m = Math.round(s / 60);
	if (m < 60) return `${m} min ago`;
	const h = Math.round(m / 60);
	if (h < 24) return `${h} h ago`;
	return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

/** The full local date and time, for a title attribute. */
export function exactTime(value: unknown): string {
	const at = validTime(value);
	return at === null ? UNKNOWN : new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
