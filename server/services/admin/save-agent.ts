import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword } from '../../auth/passwords';
import type { Facts } from '../../storage/facts';
import { recordAudit } from '../audit';
import { removeOffer } from '../chats/chat-docs';
import { routeWaitingChats } from '../chats/route-waiting-chats';
import { DomainError, type Call, type Ctx } from '../context';
import { CHAT_STAFF_ROLES, requireUser } from '../identity/require';
import { DisplayName, parseInput } from '../input';
import { Email, requireCustomize, Skills } from './admin-input';
import { publishAgentConfigs } from './agent-config-doc';

// Issue 16: an admin adds an agent or changes one (name, email, skills, capacity, chat
// configuration, active; B6: or makes it a supervisor, who watches its teams' chats and is not
// routed any). Effective at once: routing runs again, the agent's console gets its
// configuration, a deactivated agent's sessions end.

const Fields = {
	name: DisplayName,
	email: Email,
	skills: Skills,
	capacity: z.number().int().min(0).max(50, 'at most 50 chats'),
	configurationId: z.string().min(1).max(64).nullable(),
	active: z.boolean(),
	/** B6: `supervisor` is never routed a chat; it watches and joins by request. */
	role: z.enum(CHAT_STAFF_ROLES)
};
const Create = z.object({ ...Fields, role: Fields.role.default('agent'), password: z.string().min(10, 'at least 10 characters').max(200) }).strict();
const Update = z.object(Fields).partial().strict();

export async function createAgent({ ctx, input }: Call<{ body: unknown }>) {
	const admin = requireUser(ctx.actor);
	requireCustomize(admin);
	const body = parseInput(Create, input.body);
	const passwordHash = await hashPassword(body.password);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		await checkRefs(ctx.store, body.email, body.configurationId, null);
		const id = ctx.ids();
		const { password: _, ...fields } = body;
		await ctx.store.db.insert(ctx.store.t.users).values({
			id,
			email: fields.email,
			name: fields.name,
			role: fields.role ?? 'agent',
			passwordHash,
			permissions: [],
			skills: fields.skills,
			capacity: fields.capacity,
			chatConfigurationId: fields.configurationId,
			active: fields.active
		});
		await recordAudit(ctx.store, { chatId: null, actor: admin.id, kind: 'agent.created', data: { id, ...fields }, at: now });
		return { agent: await agentView(ctx.store, id) };
	});
}

export async function updateAgent({ ctx, input }: Call<{ id: string; body: unknown }>) {
	const admin = requireUser(ctx.actor);
	requireCustomize(admin);
	const body = parseInput(Update, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const before = await agentView(ctx.store, input.id);
		await checkRefs(ctx.store, body.email, body.configurationId, input.id);
		if (body.active === false && before.active) await deactivate(ctx, input.id);
		else if (body.role === 'supervisor' && before.role === 'agent') await withdrawOffers(ctx, input.id);
		const { active, configurationId, ...rest } = body;
		const set = { ...rest, ...(configurationId !== undefined ? { chatConfigurationId: configurationId } : {}), ...(active !== undefined ? { active } : {}) };
		if (Object.keys(set).length) await ctx.store.db.update(ctx.store.t.users).set(set).where(eq(ctx.store.t.users.id, input.id));
		const after = await agentView(ctx.store, input.id);
		await recordAudit(ctx.store, { chatId: null, actor: admin.id, kind: 'agent.updated', data: { id: input.id, before, after }, at: now });
		if (configurationId !== undefined) await publishAgentConfigs(ctx, [input.id]);
		await routeWaitingChats(ctx);
		return { agent: after };
	});
}

async function agentView(store: Facts, id: string) {
	const u = store.t.users;
	const [row] = await store.db
		.select({ id: u.id, name: u.name, email: u.email, role: u.role, skills: u.skills, capacity: u.capacity, configurationId: u.chatConfigurationId, active: u.active })
		.from(u)
		.where(and(eq(u.id, id), inArray(u.role, [...CHAT_STAFF_ROLES])))
		.limit(1);
	if (!row) throw new DomainError('NOT_FOUND', 'no such agent');
	return row;
}

/** The email is nobody else's; the configuration exists. */
async function checkRefs(store: Facts, email: string | undefined, configurationId: string | null | undefined, self: string | null) {
	const { db, t } = store;
	if (email !== undefined) {
		const others = await db
			.select({ id: t.users.id })
			.from(t.users)
			.where(self ? and(eq(t.users.email, email), ne(t.users.id, self)) : eq(t.users.email, email))
			.limit(1);
		if (others.length) throw new DomainError('BAD_INPUT', 'email: another user has this email');
	}
	if (configurationId) {
		const [c] = await db.select({ id: t.chatConfigurations.id }).from(t.chatConfigurations).where(eq(t.chatConfigurations.id, configurationId)).limit(1);
		if (!c) throw new DomainError('BAD_INPUT', 'configurationId: no such chat configuration');
	}
}

/** Refused while the agent is in chats; else offline, offers withdrawn, sessions ended. */
async function deactivate(ctx: Ctx, agentId: string) {
	const { db, t } = ctx.store;
	const [busy] = await db
		.select({ n: sql<number>`count(*)` })
		.from(t.chatParticipants)
		.innerJoin(t.chats, eq(t.chats.id, t.chatParticipants.chatId))
		.where(and(eq(t.chatParticipants.userId, agentId), isNull(t.chatParticipants.leftAt), eq(t.chats.status, 'active')));
	if (Number(busy?.n ?? 0) > 0) throw new DomainError('AGENT_IN_CHATS', 'this agent is in chats; they end or transfer them first');
	await db.update(t.users).set({ presence: 'offline' }).where(eq(t.users.id, agentId));
	await withdrawOffers(ctx, agentId);
	const sessions = await db.delete(t.sessions).where(eq(t.sessions.userId, agentId)).returning({ id: t.sessions.id });
	for (const s of sessions) ctx.closeSessionSockets(s.id);
}

/** Its pending chat offers go (deactivated, or now a supervisor: no longer routed chats). */
async function withdrawOffers(ctx: Ctx, agentId: string) {
	const { db, t } = ctx.store;
	const mine = and(eq(t.chatOffers.agentId, agentId), eq(t.chatOffers.status, 'pending'));
	const open = await db.select().from(t.chatOffers).where(mine);
	await db.update(t.chatOffers).set({ status: 'withdrawn' }).where(mine);
	for (const o of open) await removeOffer(ctx, agentId, o.id);
}
