import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkOrigin, DEFAULT_WIDGET_COLOUR, isWidgetColour, MAX_WIDGET_ORIGINS } from '../../../src/lib/core/widgets';
import { withoutControlCharacters } from '../../../src/lib/core/text';
import type { Facts, Tables } from '../../storage/facts';
import { DomainError, type Identity } from '../context';
import { requireUser } from '../identity/require';
import type { UserRow } from '../../auth/sessions';

export type WidgetRow = Tables['widgets']['$inferSelect'];

/** What admins see of a widget (never its secret, which only the creating answer carries). */
export function adminView(w: WidgetRow) {
	const { secret: _secret, ...rest } = w;
	return rest;
}

/** Widgets are the admin's: they decide which sites may open chats. */
export function requireAdmin(identity: Identity | null): UserRow {
	const user = requireUser(identity);
	if (user.role !== 'admin') throw new DomainError('FORBIDDEN', 'only admins may manage widgets');
	return user;
}

const Origin = z.string().max(300).transform((raw, zctx) => {
	const r = checkOrigin(raw);
	if (r.ok) return r.value;
	zctx.addIssue({ code: z.ZodIssueCode.custom, message: r.message });
	return z.NEVER;
});

/** One line of plain text: no control characters, trimmed. */
const line = (max: number) =>
	z
		.string()
		.max(max, `at most ${max} characters`)
		.transform((s) => withoutControlCharacters(s).trim());

/** The settings an admin gives; on update every field is optional. */
export const WidgetSettings = z
	.object({
		name: line(80).pipe(z.string().min(1, 'give the widget a name')),
		allowedOrigins: z
			.array(Origin)
			.min(1, 'name at least one site allowed to embed the widget')
			.max(MAX_WIDGET_ORIGINS, `at most ${MAX_WIDGET_ORIGINS} sites`)
			.transform((list) => [...new Set(list)]),
		topics: z
			.array(z.string().min(1).max(64))
			.min(1, 'offer at least one topic')
			.max(50)
			.transform((list) => [...new Set(list)]),
		greeting: line(280).optional(),
		colour: z.string().max(100).refine(isWidgetColour, 'a colour like #2563eb').optional()
	})
	.strict();

export const DEFAULT_GREETING = 'Hi! How can we help?';
export { DEFAULT_WIDGET_COLOUR };

/** Every topic id must name a topic (the widget offers only those). */
export async function checkTopics(store: Facts, ids: readonly string[]) {
	const { db, t } = store;
	const known = new Set((await db.select({ id: t.topics.id }).from(t.topics)).map((r) => r.id));
	const unknown = ids.find((id) => !known.has(id));
	if (unknown !== undefined) throw new DomainError('BAD_INPUT', `topics: no such topic: ${unknown.slice(0, 64)}`);
}

export async function widgetById(store: Facts, id: string): Promise<WidgetRow> {
	const { db, t } = store;
	const [w] = await db.select().from(t.widgets).where(eq(t.widgets.id, id)).limit(1);
	if (!w) throw new DomainError('NOT_FOUND', 'no such widget');
	return w;
}

/** The widget a public key names; unknown keys are NOT_FOUND. */
export async function widgetByKey(store: Facts, key: string): Promise<WidgetRow> {
	const { db, t } = store;
	const [w] = key.length <= 64 ? await db.select().from(t.widgets).where(eq(t.widgets.key, key)).limit(1) : [];
	if (!w) throw new DomainError('NOT_FOUND', 'no such widget');
	return w;
}
