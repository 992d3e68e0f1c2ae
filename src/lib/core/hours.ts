// B8: when a topic's agents answer. Pure: the caller passes the time.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A topic's business hours (README "Nobody left hanging"): in the IANA `timeZone`, each weekday's
 * open intervals as local "HH:MM" pairs, start included, end excluded ("00:00"–"24:00" is the
 * whole day). A weekday not listed is closed all day. A topic without hours is always open.
 */
export interface BusinessHours {
	timeZone: string;
	days: Partial<Record<Weekday, [string, string][]>>;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Why a BusinessHours value is unusable, or null when it is fine. */
export function hoursProblem(hours: BusinessHours): string | null {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone });
	} catch {
		return `timeZone: unknown time zone ${JSON.stringify(String(hours.timeZone).slice(0, 64))}`;
	}
	for (const [day, spans] of Object.entries(hours.days)) {
		if (!(WEEKDAYS as readonly string[]).includes(day)) return `days: unknown weekday ${JSON.stringify(day.slice(0, 16))}`;
		for (const [from, to] of spans ?? []) {
			if (!HHMM.test(from) || !HHMM.test(to)) return `days.${day}: times must be HH:MM (00:00 to 24:00)`;
			if (minutesOf(from) >= minutesOf(to)) return `days.${day}: ${from}–${to} ends before it starts`;
		}
	}
	return null;
}

/** The weekday and minute of the day at `now` (ms) in `timeZone`. */
function localTime(timeZone: string, now: number): { day: Weekday; minute: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		weekday: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(new Date(now));
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const day = part('weekday').toLowerCase().slice(0, 3) as Weekday;
	return { day, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

/** Whether agents answer at `now`; no hours (null) means always. Unusable hours count as open. */
export function isOpen(hours: BusinessHours | null | undefined, now: number): boolean {
	if (!hours || hoursProblem(hours)) return true;
	const { day, minute } = localTime(hours.timeZone, now);
	return (hours.days[day] ?? []).some(([from, to]) => minute >= minutesOf(from) && minute < minutesOf(to));
}
