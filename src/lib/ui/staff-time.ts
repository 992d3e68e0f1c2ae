import { validTime } from '$lib/core/display-message';
import { UNKNOWN } from './time';

// Times only the staff pages show (the console's history and offers, the audit replay). Apart
// from time.ts, whose chunk the customer page loads too: it need not carry them.

/** "12:04", for transcripts. */
export function clockTime(value: unknown): string {
	const at = validTime(value);
	return at === null ? UNKNOWN : new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Waiting time as a compact duration: "45 s", "3 min", "1 h 5 min". */
export function duration(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}
