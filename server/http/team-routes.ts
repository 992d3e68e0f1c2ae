import type { Context, Env, Hono } from 'hono';
import type { Ctx } from '../services/context';
import { listTeam } from '../services/admin/list-team';
import { createAgent, updateAgent } from '../services/admin/save-agent';
import { createTopic, updateTopic } from '../services/admin/save-topic';

// Issue 16: the admin console's agents and topics (README "Admin console"). Skills are the names
// agents and topics carry; `GET /api/admin/team` lists those in use.
export function registerTeamRoutes<E extends Env>(
	api: Hono<E>,
	as: (c: Context<E>) => Promise<Ctx>,
	body: (c: Context<E>) => Promise<unknown>
) {
	const id = (c: Context<E>) => c.req.param('id') as string;
	api.get('/api/admin/team', async (c) => c.json(await listTeam({ ctx: await as(c) })));
	api.post('/api/admin/agents', async (c) => c.json(await createAgent({ ctx: await as(c), input: { body: await body(c) } }), 201));
	api.put('/api/admin/agents/:id', async (c) => c.json(await updateAgent({ ctx: await as(c), input: { id: id(c), body: await body(c) } })));
	api.post('/api/admin/topics', async (c) => c.json(await createTopic({ ctx: await as(c), input: { body: await body(c) } }), 201));
	api.put('/api/admin/topics/:id', async (c) => c.json(await updateTopic({ ctx: await as(c), input: { id: id(c), body: await body(c) } })));
}
