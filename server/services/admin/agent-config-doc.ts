import { eq, inArray } from 'drizzle-orm';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { AgentConfig } from '../../../src/lib/core/types';
import type { Ctx } from '../context';

/**
 * C1 live (issue 16): writes each agent's chat configuration, as the facts now say, into the
 * `config` map of its `agent/<id>` document. Called inside the decision that changed them, so an
 * open console hides or shows Conference with the change itself, not on its next reload.
 */
export async function publishAgentConfigs(ctx: Ctx, agentIds: readonly string[]) {
	if (agentIds.length === 0) return;
	const { db, t } = ctx.store;
	const rows = await db
		.select({ id: t.users.id, config: t.chatConfigurations })
		.from(t.users)
		.leftJoin(t.chatConfigurations, eq(t.chatConfigurations.id, t.users.chatConfigurationId))
		.where(inArray(t.users.id, [...agentIds]))
		.orderBy(t.users.id);
	const at = ctx.clock();
	for (const { id, config } of rows) {
		const value: AgentConfig = {
			configurationId: config?.id ?? null,
			name: config?.name ?? null,
			conferenceEnabled: config?.conferenceEnabled ?? false,
			requestTimeoutSec: config?.requestTimeoutSec ?? null,
			at
		};
		await ctx.docs.change(docNames.agent(id), 'server', (doc) => {
			const map = doc.getMap<AgentConfig[keyof AgentConfig]>(ROOT.CONFIG);
			for (const [key, v] of Object.entries(value)) if (map.get(key) !== v) map.set(key, v);
		});
	}
}
