import type { Context, Hono } from 'hono';
import type { Ctx } from '../services/context';
import { createWidget } from '../services/widgets/create-widget';
import { deleteWidget } from '../services/widgets/delete-widget';
import { rotateWidgetSecret } from '../services/widgets/rotate-secret';
import { getWidgetSettings } from '../services/widgets/get-widget-settings';
import { listWidgets } from '../services/widgets/list-widgets';
import { startWidgetChat } from '../services/widgets/start-widget-chat';
import { updateWidget } from '../services/widgets/update-widget';
import { originAllowedFor } from '../../src/lib/core/widgets';
import { noteActorAs } from './request-log';
import { errorBody, statusOf } from './errors';

interface WidgetRouteDeps {
	as: (c: Context) => Promise<Ctx>;
	anyone: () => Ctx;
	body: (c: Context) => Promise<unknown>;
	source: (c: Context) => string;
	/** Whether an Origin is Parley's own (the CSRF rule of every other route). */
	ownOrigin: (origin: string | undefined, host: string | undefined) => boolean;
}

/**
 * B7: widgets. Admins manage them under /api/admin/widgets; the loader (on the embedding site:
 * CORS, only for the widget's own sites) and the widget page (on Parley's origin) read a widget's
 * public settings by key, and the widget page starts chats with it.
 */
export function registerWidgetRoutes(api: Hono<any>, d: WidgetRouteDeps) {
	api.get('/api/admin/widgets', async (c) => c.json(await listWidgets({ ctx: await d.as(c) })));
	api.post('/api/admin/widgets', async (c) => c.json(await createWidget({ ctx: await d.as(c), input: { body: await d.body(c) } }), 201));
	api.put('/api/admin/widgets/:id', async (c) =>
		c.json(await updateWidget({ ctx: await d.as(c), input: { widgetId: c.req.param('id'), body: await d.body(c) } }))
	);
	api.post('/api/admin/widgets/:id/secret', async (c) => c.json(await rotateWidgetSecret({ ctx: await d.as(c), input: { widgetId: c.req.param('id') } })));
	api.delete('/api/admin/widgets/:id', async (c) => c.json(await deleteWidget({ ctx: await d.as(c), input: { widgetId: c.req.param('id') } })));

	api.get('/api/widgets/:key', async (c) => {
		const found = await getWidgetSettings({ ctx: d.anyone(), input: { key: c.req.param('key') } });
		const origin = c.req.header('origin');
		c.header('Vary', 'Origin');
		if (origin && !d.ownOrigin(origin, c.req.header('host'))) {
			// The loader asks from the embedding page: only the widget's own sites get its settings;
			// any other gets a refusal it can read (so the loader can say why it draws nothing).
			c.header('Access-Control-Allow-Origin', origin);
			if (!originAllowedFor(found.widget.allowedOrigins, origin))
				return c.json(errorBody('FORBIDDEN', `${origin.slice(0, 100)} may not embed this widget`), statusOf('FORBIDDEN'));
		}
		return c.json(found);
	});
	api.post('/api/widgets/:key/chats', async (c) => {
		const result = await startWidgetChat({ ctx: d.anyone(), input: { key: c.req.param('key'), body: await d.body(c), source: d.source(c) } });
		noteActorAs(c, 'customer', result.customer.id);
		return c.json(result, 201);
	});
}
