import { inArray } from 'drizzle-orm';
import type { Call } from '../context';
import { widgetByKey } from './widget-rows';

/**
 * B7: what the loader and the widget page show: name, greeting, colour, the topics offered and
 * the sites allowed (the widget page checks its parent against them). Public, by key.
 */
export async function getWidgetSettings({ ctx, input }: Call<{ key: string }>) {
	const w = await widgetByKey(ctx.store, input.key);
	const { db, t } = ctx.store;
	const rows = await db.select({ id: t.topics.id, name: t.topics.name }).from(t.topics).where(inArray(t.topics.id, w.topics.length ? w.topics : ['']));
	// In the order the admin gave them; a topic deleted since is simply not offered.
	const topics = w.topics.flatMap((id) => rows.filter((r) => r.id === id));
	return {
		widget: { key: w.key, name: w.name, greeting: w.greeting, colour: w.colour, topics, allowedOrigins: w.allowedOrigins }
	};
}
