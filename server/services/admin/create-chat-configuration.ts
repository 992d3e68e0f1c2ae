import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { DomainError, type Call } from '../context';
import { requireUser } from '../identity/require';
import { DisplayName, parseInput } from '../input';
import { requireCustomize } from './admin-input';
import { configurationOrThrow } from './chat-configurations';

const Input = z
	.object({
		name: DisplayName,
		conferenceEnabled: z.boolean(),
		requestTimeoutSec: z.number().int().min(10, 'at least 10 seconds').max(3600, 'at most an hour')
	})
	.strict();

/** Issue 16: an admin adds a chat configuration (agents are assigned to it afterwards). */
export async function createChatConfiguration({ ctx, input }: Call<{ body: unknown }>) {
	const admin = requireUser(ctx.actor);
	requireCustomize(admin);
	const body = parseInput(Input, input.body);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const [taken] = await db.select({ id: t.chatConfigurations.id }).from(t.chatConfigurations).where(eq(t.chatConfigurations.name, body.name)).limit(1);
		if (taken) throw new DomainError('BAD_INPUT', 'name: another configuration has this name');
		const id = ctx.ids();
		await db.insert(t.chatConfigurations).values({ id, ...body });
		const after = await configurationOrThrow(ctx.store, id);
		await recordAudit(ctx.store, { chatId: null, actor: admin.id, kind: 'configuration.created', data: { id, after }, at: now });
		return { configuration: after };
	});
}
