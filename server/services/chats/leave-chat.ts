import { checkLeave } from '../../../src/lib/core/conference/rules';
import { announceLeave, removeAgent } from './attendance';
import { loadChatFacts } from '../conference/conference-facts';
import { orThrow, type Call } from '../context';
import { requireAgent } from '../identity/require';

/**
 * C7: Leave Conversation. The agent loses access at once (its sockets for the chat's documents
 * close), the others see a notice, and its own pending requests are withdrawn (C15).
 */
export async function leaveChat({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const agent = requireAgent(ctx.actor);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		orThrow(checkLeave(await loadChatFacts(ctx.store, chatId), agent.id));
		const closed = await removeAgent(ctx.store, chatId, agent.id, now, 'chat.left');
		await announceLeave(ctx, chatId, agent, now, `${agent.name} left the chat`, closed);
		return { ok: true };
	});
}
