import { WEEKDAYS, type BusinessHours, type Weekday } from '$lib/core/hours';

// Issue 15: the admin's business-hours editor and the topics table's summary. The form holds what
// the admin types (no check here: the server's PUT /api/admin/topics/:id/hours checks and names
// what is wrong, see `hoursErrors`).

export const DAY_NAMES: Record<Weekday, string> = {
	mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday'
};
const SHORT = (d: Weekday) => DAY_NAMES[d].slice(0, 3);

export interface Span {
	from: string;
	to: string;
}
export interface HoursForm {
	/** No hours at all: the topic is always open (hours = null). */
	always: boolean;
	timeZone: string;
	/** A day without spans is closed. */
	days: Record<Weekday, Span[]>;
}

/** What the editor starts from: the saved hours, or (always open) office hours ready to be chosen. */
export function toForm(hours: BusinessHours | null | undefined, localZone: string): HoursForm {
	const days = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as Span[]])) as Record<Weekday, Span[]>;
	if (!hours) {
		for (const d of WEEKDAYS.slice(0, 5)) days[d] = [{ from: '09:00', to: '17:00' }];
		return { always: true, timeZone: localZone, days };
	}
	for (const d of WEEKDAYS) days[d] = (hours.days[d] ?? []).map(([from, to]) => ({ from, to }));
	return { always: false, timeZone: hours.timeZone, days };
}

/** The body's `hours`: null when always open; closed days left out; times and zone trimmed. */
export function fromForm(form: HoursForm): BusinessHours | null {
	if (form.always) return null;
	const days: BusinessHours['days'] = {};
	for (const d of WEEKDAYS) if (form.days[d].length) days[d] = form.days[d].map((s) => [s.from.trim(), s.to.trim()] as [string, string]);
	return { timeZone: form.timeZone.trim(), days };
}

/**
 * Where the server's 400 message belongs: `hours.timeZone: …` under the time zone, `hours.days.mon…`
 * under Monday, anything else above the buttons. The text is made a sentence without the path
 * (the API client has already made the whole message one: "Hours.days.mon: … .").
 */
export function hoursError(message: string): { field: 'timeZone' | Weekday | 'form'; text: string } {
	const m = /^hours\.(timeZone|days\.(mon|tue|wed|thu|fri|sat|sun))[\w.]*:\s*(.*)$/is.exec(message);
	if (!m) return { field: 'form', text: message };
	const text = m[3].replace(/^(timeZone|days\.\w+):\s*/, '');
	const sentence = text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
	return { field: (m[2] as Weekday | undefined) ?? 'timeZone', text: sentence };
}

/** The topics table's line: "Mon–Fri 09:00–17:00, Sat 10:00–12:00 (Europe/Berlin)" or "Always open". */
export function describeHours(hours: BusinessHours | null | undefined): string {
	if (!hours) return 'Always open';
	const line = (d: Weekday) => (hours.days[d] ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
	const groups: { first: Weekday; last: Weekday; spans: string }[] = [];
	for (const d of WEEKDAYS) {
		const spans = line(d);
		const prev = groups.at(-1);
		if (prev && prev.spans === spans && WEEKDAYS.indexOf(prev.last) === WEEKDAYS.indexOf(d) - 1) prev.last = d;
		else groups.push({ first: d, last: d, spans });
	}
	const open = groups.filter((g) => g.spans);
	const days = open.map((g) => `${SHORT(g.first)}${g.first === g.last ? '' : `–${SHORT(g.last)}`} ${g.spans}`).join('; ');
	return `${days || 'Closed every day'} (${hours.timeZone})`;
}
