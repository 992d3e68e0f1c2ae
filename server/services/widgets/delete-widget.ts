import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { adminView, requireAdmin, widgetById } from './widget-rows';

/** B7: an admin deletes a widget; its snippet stops working at once (chats already started go on). */
export async function deleteWidget({ ctx, input }: Call<{ widgetId: string }>) {
	const user = requireAdmin(ctx.actor);
	return ctx.decide(async (ctx) => {
		const before = await widgetById(ctx.store, input.widgetId);
		await ctx.store.db.delete(ctx.store.t.widgets).where(eq(ctx.store.t.widgets.id, before.id));
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'widget.deleted', data: { widget: adminView(before) }, at: ctx.clock() });
		return { deleted: before.id };
	});
}
