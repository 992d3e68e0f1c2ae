import { newId } from '../../auth/tokens';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { parseInput } from '../input';
import { newWidgetSecret } from './rotate-secret';
import { adminView, checkTopics, DEFAULT_GREETING, DEFAULT_WIDGET_COLOUR, requireAdmin, WidgetSettings } from './widget-rows';

/**
 * B7: an admin creates a widget. The answer is the only one that carries its signing `secret`
 * (the site keeps it on its server to sign visitors' emails); the `key` goes in the snippet.
 */
export async function createWidget({ ctx, input }: Call<{ body: unknown }>) {
	const user = requireAdmin(ctx.actor);
	const s = parseInput(WidgetSettings, input.body);
	return ctx.decide(async (ctx) => {
		await checkTopics(ctx.store, s.topics);
		const row = {
			id: ctx.ids(),
			name: s.name,
			key: `pk_${newId(15)}`,
			secret: newWidgetSecret(),
			allowedOrigins: s.allowedOrigins,
			topics: s.topics,
			greeting: s.greeting || DEFAULT_GREETING,
			colour: (s.colour ?? DEFAULT_WIDGET_COLOUR).toLowerCase(),
			createdAt: ctx.clock()
		};
		await ctx.store.db.insert(ctx.store.t.widgets).values(row);
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'widget.created', data: { widget: adminView(row) }, at: row.createdAt });
		return { widget: { ...adminView(row), secret: row.secret } };
	});
}
