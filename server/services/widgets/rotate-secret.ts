import { eq } from 'drizzle-orm';
import { generateToken } from '../../auth/tokens';
import { recordAudit } from '../audit';
import type { Call } from '../context';
import { adminView, requireAdmin, widgetById } from './widget-rows';

/** A fresh signing secret (as at creation). */
export const newWidgetSecret = () => `sk_${generateToken()}${generateToken()}`;

/**
 * B7: an admin replaces a widget's signing secret (it leaked, or someone who knew it left). The
 * old one stops proving identities at once; the key, and so the snippet, stay. The answer is the
 * only one that carries the new secret; the audit records the rotation, never a secret.
 */
export async function rotateWidgetSecret({ ctx, input }: Call<{ widgetId: string }>) {
	const user = requireAdmin(ctx.actor);
	return ctx.decide(async (ctx) => {
		const widget = await widgetById(ctx.store, input.widgetId);
		const secret = newWidgetSecret();
		await ctx.store.db.update(ctx.store.t.widgets).set({ secret }).where(eq(ctx.store.t.widgets.id, widget.id));
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'widget.secret_rotated', data: { widget: adminView(widget) }, at: ctx.clock() });
		return { widget: { ...adminView(widget), secret } };
	});
}
