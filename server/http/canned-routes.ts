import type { Context, Env, Hono } from 'hono';
import type { Ctx } from '../services/context';
import { createCannedReply } from '../services/canned/create-canned-reply';
import { deleteCannedReply } from '../services/canned/delete-canned-reply';
import { listCannedReplies } from '../services/canned/list-canned-replies';
import { updateCannedReply } from '../services/canned/update-canned-reply';

// Issue 16: canned replies (README "Canned replies"). `as` is the app's verb context for a
// request, `body` its JSON body reader.
export function registerCannedRoutes<E extends Env>(
	api: Hono<E>,
	as: (c: Context<E>) => Promise<Ctx>,
	body: (c: Context<E>) => Promise<unknown>
) {
	const id = (c: Context<E>) => c.req.param('id') as string;
	api.get('/api/canned-replies', async (c) => c.json(await listCannedReplies({ ctx: await as(c) })));
	api.post('/api/canned-replies', async (c) => c.json(await createCannedReply({ ctx: await as(c), input: { body: await body(c) } }), 201));
	api.put('/api/canned-replies/:id', async (c) =>
		c.json(await updateCannedReply({ ctx: await as(c), input: { id: id(c), body: await body(c) } }))
	);
	api.delete('/api/canned-replies/:id', async (c) => c.json(await deleteCannedReply({ ctx: await as(c), input: { id: id(c) } })));
}
