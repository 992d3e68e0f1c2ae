import { validTime } from '../display-message';

// A2/T2: the `participants` map of a chat document as the replay shows it. The server writes
// it, but documents outlive builds: any value reads as a list, and nothing here throws.

export interface ShownParticipant {
	/** The map key: unique, so a keyed list can use it even when stored ids repeat. */
	key: string;
	id: string;
	name: string;
	role: string;
	joinedAt: number | null;
	/** When the participant left; null when it has not, or the stored time is not a usable time. */
	leftAt: number | null;
	left: boolean;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
// Own properties only, as in display-message: a decoded `__proto__` key is not a field.
const own = (o: object, k: string): unknown => (Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);
const text = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);

/** Present first, then by join time; entries that are not objects are left out (a map keeps no places). */
export function displayParticipants(value: unknown): ShownParticipant[] {
	if (!isObject(value)) return [];
	const people: ShownParticipant[] = [];
	for (const [key, p] of Object.entries(value)) {
		if (!isObject(p)) continue;
		const leftAt = own(p, 'leftAt');
		people.push({
			key,
			id: text(own(p, 'id'), key),
			name: text(own(p, 'name'), 'Unknown'),
			role: text(own(p, 'role'), ''),
			joinedAt: validTime(own(p, 'joinedAt')),
			leftAt: validTime(leftAt),
			left: leftAt !== undefined && leftAt !== null
		});
	}
	return people.sort((a, b) => Number(a.left) - Number(b.left) || (a.joinedAt ?? 0) - (b.joinedAt ?? 0));
}
