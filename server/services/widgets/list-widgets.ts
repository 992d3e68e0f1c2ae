import { asc } from 'drizzle-orm';
import type { Call } from '../context';
import { adminView, requireAdmin } from './widget-rows';

/** B7: every widget, oldest first, without secrets. */
export async function listWidgets({ ctx }: Call) {
	requireAdmin(ctx.actor);
	const { db, t } = ctx.store;
	const rows = await db.select().from(t.widgets).orderBy(asc(t.widgets.createdAt), asc(t.widgets.id));
	return { widgets: rows.map(adminView) };
}
