import { checkLeave } from '../../../src/lib/core/conference/rules';
import { announceLeave, removeAgent } from './attendance';
import { loadChatFacts } from '../conference/conference-facts';
import { orThrow, type Ctx, type Identity } from '../context';
import { requireAgent } from '../identity/require';

/**
 * C7: Leave Conversation. The agent loses access at once (its sockets for the chat's documents
 * close), the others see a notice, and its own pending requests are withdrawn (C15).
 */
export function leaveChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const closed = ctx.db.transaction((tx) => {
		orThrow(checkLeave(loadChatFacts(tx, chatId), agent.id));
		return removeAgent(tx, chatId, agent.id, now, 'chat.left');
	});
	announceLeave(ctx, chatId, agent, now, `${agent.name} left the chat`, closed);
	return { ok: true };
}
