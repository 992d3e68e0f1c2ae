import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Facts } from '../../storage/facts';
import { recordAudit } from '../audit';
import { routeWaitingChats } from '../chats/route-waiting-chats';
import { DomainError, type Call } from '../context';
import { requireUser } from '../identity/require';
import { DisplayName, parseInput } from '../input';
import { requireCustomize, SkillName } from './admin-input';

// Issue 16: an admin adds or changes a topic (its name on the start form, the skill that takes
// it, and its routing: omni pushes to one agent, button offers to all with the skill). New chats
// use it at once; chats already started keep the routing they began with.

const Fields = { name: DisplayName, skill: SkillName, routing: z.enum(['omni', 'button']) };
const Create = z.object(Fields).strict();
const Update = z.object(Fields).partial().strict();

export async function createTopic({ ctx, input }: Call<{ body: unknown }>) {
	const admin = requireUser(ctx.actor);
	requireCustomize(admin);
	const body = parseInput(Create, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		await nameFree(ctx.store, body.name, null);
		const topic = { id: ctx.ids(), ...body };
		await ctx.store.db.insert(ctx.store.t.topics).values(topic);
		await recordAudit(ctx.store, { chatId: null, actor: admin.id, kind: 'topic.created', data: topic, at: now });
		return { topic };
	});
}

export async function updateTopic({ ctx, input }: Call<{ id: string; body: unknown }>) {
	const admin = requireUser(ctx.actor);
	requireCustomize(admin);
	const body = parseInput(Update, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const [before] = await db.select().from(t.topics).where(eq(t.topics.id, input.id)).limit(1);
		if (!before) throw new DomainError('NOT_FOUND', 'no such topic');
		if (body.name !== undefined) await nameFree(ctx.store, body.name, input.id);
		if (Object.keys(body).length) await db.update(t.topics).set(body).where(eq(t.topics.id, input.id));
		const after = { ...before, ...body };
		await recordAudit(ctx.store, { chatId: null, actor: admin.id, kind: 'topic.updated', data: { id: input.id, before, after }, at: now });
		await routeWaitingChats(ctx);
		return { topic: publicTopic(after) };
	});
}

/**
 * The answer's topic, the same four fields as `createTopic`'s (README "API"): not the stored row,
 * whose other columns (hours, in the store's own encoding) are not this answer's to give.
 */
const publicTopic = ({ id, name, skill, routing }: { id: string; name: string; skill: string; routing: string }) => ({ id, name, skill, routing });

async function nameFree(store: Facts, name: string, self: string | null) {
	const t = store.t.topics;
	const [taken] = await store.db.select({ id: t.id }).from(t).where(self ? and(eq(t.name, name), ne(t.id, self)) : eq(t.name, name)).limit(1);
	if (taken) throw new DomainError('BAD_INPUT', 'name: another topic has this name');
}
