import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { parseInput } from '../input';
import { adminView, checkTopics, DEFAULT_GREETING, requireAdmin, widgetById, WidgetSettings } from './widget-rows';

const Update = WidgetSettings.partial().strict();

/** B7: an admin changes a widget's settings (its key and secret stay). */
export async function updateWidget({ ctx, input }: Call<{ widgetId: string; body: unknown }>) {
	const user = requireAdmin(ctx.actor);
	const s = parseInput(Update, input.body);
	return ctx.decide(async (ctx) => {
		const before = await widgetById(ctx.store, input.widgetId);
		if (s.topics) await checkTopics(ctx.store, s.topics);
		const set = {
			...(s.name !== undefined && { name: s.name }),
			...(s.allowedOrigins && { allowedOrigins: s.allowedOrigins }),
			...(s.topics && { topics: s.topics }),
			...(s.greeting !== undefined && { greeting: s.greeting || DEFAULT_GREETING }),
			...(s.colour !== undefined && { colour: s.colour.toLowerCase() })
		};
		const { db, t } = ctx.store;
		if (Object.keys(set).length > 0) await db.update(t.widgets).set(set).where(eq(t.widgets.id, before.id));
		const after = adminView(await widgetById(ctx.store, before.id));
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'widget.updated', data: { before: adminView(before), after }, at: ctx.clock() });
		return { widget: after };
	});
}
