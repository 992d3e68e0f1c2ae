import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { AssignedChat } from '../../../src/lib/core/types';
import { loadChatFacts } from '../conference/conference-facts';
import type { Ctx } from '../context';

/**
 * Tells every agent in the chat that its workspace may have changed (attach, remove, a change
 * of owner): the console refetches GET /api/chats/:id/workspace when `workspaceAt` moves.
 */
export function touchWorkspaces(ctx: Ctx, chatId: string) {
	const now = ctx.now();
	for (const agentId of loadChatFacts(ctx.db, chatId).agentIds)
		ctx.docs.change(docNames.agent(agentId), 'server', (doc) => {
			const chats = doc.getMap<AssignedChat>(ROOT.CHATS);
			const entry = chats.get(chatId);
			if (entry) chats.set(chatId, { ...entry, workspaceAt: now });
		});
}
