import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Facts, Tables } from '../../storage/facts';
import { recordAudit } from '../audit';
import { publishAgentConfigs } from './agent-config-doc';
import { configurationOrThrow, mayCustomize } from './chat-configurations';
import { DomainError, type Call } from '../context';
import { DisplayName, parseInput } from '../input';
import { requireUser } from '../identity/require';

const Input = z
	.object({
		name: DisplayName.optional(),
		conferenceEnabled: z.boolean().optional(),
		requestTimeoutSec: z.number().int().min(10, 'at least 10 seconds').max(3600, 'at most an hour').optional(),
		agentIds: z.array(z.string().min(1).max(64)).max(1000).optional()
	})
	.strict();

/** C1 admin side: Enable Chat Conference, request timeout and assigned agents; needs Customize Application. */
export async function updateChatConfiguration({ ctx, input }: Call<{ configurationId: string; body: unknown }>) {
	const user = requireUser(ctx.actor);
	if (!mayCustomize(user)) throw new DomainError('FORBIDDEN', 'editing chat configurations needs the Customize Application permission');
	const id = input.configurationId;
	const body = parseInput(Input, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const before = await configurationOrThrow(ctx.store, id);
		const set: Partial<Tables['chatConfigurations']['$inferInsert']> = {};
		if (body.name !== undefined) {
			const c = t.chatConfigurations;
			const [taken] = await db.select({ id: c.id }).from(c).where(eq(c.name, body.name)).limit(1);
			if (taken && taken.id !== id) throw new DomainError('BAD_INPUT', 'name: another configuration has this name');
			set.name = body.name;
		}
		if (body.conferenceEnabled !== undefined) set.conferenceEnabled = body.conferenceEnabled;
		if (body.requestTimeoutSec !== undefined) set.requestTimeoutSec = body.requestTimeoutSec;
		if (Object.keys(set).length > 0) await db.update(t.chatConfigurations).set(set).where(eq(t.chatConfigurations.id, id));
		if (body.agentIds) await assignAgents(ctx.store, id, [...new Set(body.agentIds)]);
		const after = await configurationOrThrow(ctx.store, id);
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'configuration.updated', data: { id, before, after }, at: now });
		// Every agent who had or now has this configuration sees the change at once (issue 16).
		await publishAgentConfigs(ctx, [...new Set([...before.agents, ...after.agents].map((a) => a.id))]);
		return { configuration: after };
	});
}

/** The configuration's agents become exactly `ids` (each must be an agent); others assigned to it lose it. */
async function assignAgents(store: Facts, id: string, ids: string[]) {
	const { db, t } = store;
	const u = t.users;
	// An empty IN list is not SQL both dialects accept: match nothing with an id no row has.
	const list = ids.length ? ids : [''];
	const known = await db.select({ id: u.id }).from(u).where(and(eq(u.role, 'agent'), inArray(u.id, list)));
	if (known.length !== ids.length) throw new DomainError('BAD_INPUT', 'agentIds: every id must be an agent');
	await db.update(u).set({ chatConfigurationId: null }).where(and(eq(u.chatConfigurationId, id), notInArray(u.id, list)));
	if (ids.length) await db.update(u).set({ chatConfigurationId: id }).where(inArray(u.id, ids));
}
