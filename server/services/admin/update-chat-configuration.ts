import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { chatConfigurations, users } from '../../db/schema';
import { recordAudit } from '../audit';
import { configurationOrThrow, mayCustomize } from './chat-configurations';
import { DomainError, type Ctx, type Identity } from '../context';
import { parseInput } from '../input';
import { requireUser } from '../identity/require';

const Input = z
	.object({
		conferenceEnabled: z.boolean().optional(),
		requestTimeoutSec: z.number().int().min(10, 'at least 10 seconds').max(3600, 'at most an hour').optional(),
		agentIds: z.array(z.string().min(1).max(64)).max(1000).optional()
	})
	.strict();

/** C1 admin side: Enable Chat Conference, request timeout and assigned agents; needs Customize Application. */
export function updateChatConfiguration(ctx: Ctx, identity: Identity | null, id: string, input: unknown) {
	const user = requireUser(identity);
	if (!mayCustomize(user)) throw new DomainError('FORBIDDEN', 'editing chat configurations needs the Customize Application permission');
	const body = parseInput(Input, input);
	const now = ctx.now();
	return ctx.db.transaction((tx) => {
		const before = configurationOrThrow(tx, id);
		const set: Partial<typeof chatConfigurations.$inferInsert> = {};
		if (body.conferenceEnabled !== undefined) set.conferenceEnabled = body.conferenceEnabled;
		if (body.requestTimeoutSec !== undefined) set.requestTimeoutSec = body.requestTimeoutSec;
		if (Object.keys(set).length > 0) tx.update(chatConfigurations).set(set).where(eq(chatConfigurations.id, id)).run();
		if (body.agentIds) {
			const ids = [...new Set(body.agentIds)];
			const known = tx.select({ id: users.id }).from(users).where(and(eq(users.role, 'agent'), inArray(users.id, ids.length ? ids : ['']))).all();
			if (known.length !== ids.length) throw new DomainError('BAD_INPUT', 'agentIds: every id must be an agent');
			tx.update(users)
				.set({ chatConfigurationId: null })
				.where(and(eq(users.chatConfigurationId, id), notInArray(users.id, ids.length ? ids : [''])))
				.run();
			if (ids.length) tx.update(users).set({ chatConfigurationId: id }).where(inArray(users.id, ids)).run();
		}
		const after = configurationOrThrow(tx, id);
		recordAudit(tx, { chatId: null, actor: user.id, kind: 'configuration.updated', data: { id, before, after }, at: now });
		return { configuration: after };
	});
}
