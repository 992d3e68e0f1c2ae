import { and, eq, gt } from 'drizzle-orm';
import { checkAccept } from '../../../src/lib/core/conference/rules';
import { docNames } from '../../../src/lib/core/doc-name';
import { conferenceRequests, users } from '../../db/schema';
import { recordAudit } from '../audit';
import { agentFactsOf, loadChatFacts, loadRequest } from './conference-facts';
import { publishOutcome } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Ctx, type Identity } from '../context';
import { addAgentToChat, announceJoin, announceLeave, removeAgent } from '../chats/attendance';
import { requireAgent } from '../identity/require';
import { touchWorkspaces } from '../records/workspace-signal';

/**
 * C2/C4 (and L4 for transfers): an offered agent accepts and joins at once. Exactly one winner: the request moves
 * `pending → accepted` only where it is still pending and not yet expired, in one statement.
 */
export function acceptConferenceRequest(ctx: Ctx, identity: Identity | null, requestId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const { req, label, handedOver, requester } = ctx.db.transaction((tx) => {
		const req = loadRequest(tx, requestId);
		const chat = loadChatFacts(tx, req.chatId);
		orThrow(checkAccept(req, agentFactsOf(ctx.db, agent.id), chat, now));
		const won = tx
			.update(conferenceRequests)
			.set({ status: 'accepted', decidedAt: now, decidedBy: agent.id })
			.where(and(eq(conferenceRequests.id, requestId), eq(conferenceRequests.status, 'pending'), gt(conferenceRequests.expiresAt, now)))
			.run();
		if (won.changes !== 1) throw new DomainError('TAKEN', 'another agent already joined');
		addAgentToChat(tx, req.chatId, agent.id, now);
		tx.update(users).set({ lastAssignedAt: now }).where(eq(users.id, agent.id)).run();
		recordAudit(tx, { chatId: req.chatId, actor: agent.id, kind: `${req.kind}.accepted`, data: { requestId }, at: now });
		// L4: on a transfer the requester hands over and leaves (if it is still in the chat).
		const requester = tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, req.requesterId)).get()!;
		const handedOver =
			req.kind === 'transfer' && chat.agentIds.includes(req.requesterId)
				? removeAgent(tx, req.chatId, req.requesterId, now, 'chat.transferred')
				: null;
		return { req, label: targetLabel(tx, req), handedOver, requester };
	});
	publishOutcome(ctx, req, 'accepted', label);
	if (req.kind === 'transfer') {
		announceJoin(ctx, req.chatId, agent, now, `${requester.name} transferred the chat to ${agent.name}`);
		if (handedOver) announceLeave(ctx, req.chatId, requester, now, `${requester.name} left the chat`, handedOver);
	} else announceJoin(ctx, req.chatId, agent, now);
	touchWorkspaces(ctx, req.chatId);
	return { chatId: req.chatId, doc: docNames.chat(req.chatId) };
}
