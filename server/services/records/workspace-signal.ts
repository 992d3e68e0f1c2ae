import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { AssignedChat } from '../../../src/lib/core/types';
import { loadChatFacts } from '../conference/conference-facts';
import type { Ctx } from '../context';

/**
 * Tells every agent in the chat that its workspace may have changed (attach, remove, a change
 * of owner): the console refetches GET /api/chats/:id/workspace when `workspaceAt` moves.
 */
export async function touchWorkspaces(ctx: Ctx, chatId: string): Promise<void> {
	const now = ctx.clock();
	for (const agentId of (await loadChatFacts(ctx.store, chatId)).agentIds)
		await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => {
			const chats = doc.getMap<AssignedChat>(ROOT.CHATS);
			const entry = chats.get(chatId);
			if (entry) chats.set(chatId, { ...entry, workspaceAt: now });
		});
}
