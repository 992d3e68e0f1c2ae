import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkRequest } from '../../../src/lib/core/conference/rules';
import { checkSupervisorJoin } from '../../../src/lib/core/conference/supervisor';
import { ofTeams } from '../identity/doc-access';
import type { RequestKind, RequestTarget } from '../../../src/lib/core/conference/types';
import { recordAudit } from '../audit';
import { agentFactsOf, loadAgentFacts, loadChatFacts, pendingRequests, toRequest } from './conference-facts';
import { publishRequest } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Call, type Ctx } from '../context';
import { parseInput, ShortNote } from '../input';
import { lastCustomerMessage } from './last-customer-message';
import { requireAgent } from '../identity/require';
import type { UserRow } from '../../auth/sessions';

const Input = z
	.object({ agentId: z.string().min(1).max(64).optional(), skill: z.string().min(1).max(64).optional(), note: ShortNote.optional() })
	.strict()
	.refine((b) => (b.agentId === undefined) !== (b.skill === undefined), {
		message: 'give exactly one target: agentId or skill',
		path: ['agentId']
	});

/** What an agent sends to ask for a conference or a transfer: the chat, and the target as JSON. */
export interface SendRequestInput {
	chatId: string;
	body: unknown;
}

/**
 * C1–C3 and L4: an agent in a chat asks one agent, or all available agents with a skill, to join
 * (conference) or to take the chat over (transfer). Both share offers, accept, decline and expiry.
 */
export async function sendRequest({ ctx, input }: Call<SendRequestInput>, kind: RequestKind) {
	const requester = requireAgent(ctx.actor);
	const { chatId } = input;
	const body = parseInput(Input, input.body);
	const target: RequestTarget = body.agentId ? { kind: 'agent', agentId: body.agentId } : { kind: 'skill', skill: body.skill! };
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		if (target.kind === 'agent') {
			const [known] = await db.select({ id: t.users.id }).from(t.users).where(eq(t.users.id, target.agentId)).limit(1);
			if (!known) throw new DomainError('NOT_FOUND', 'agentId: no such agent');
		}
		const now = ctx.clock();
		const chat = await loadChatFacts(ctx.store, chatId);
		// B6: a supervisor not in the chat asks to join it: the request is addressed to itself.
		const joining = kind === 'conference' && requester.role === 'supervisor' && target.kind === 'agent' && target.agentId === requester.id;
		const offerees = orThrow(
			joining
				? checkSupervisorJoin({
						supervisor: await agentFactsOf(ctx.store, requester.id),
						chat,
						supervised: await ofTeams(ctx, chatId, requester.skills),
						pending: await pendingRequests(ctx.store, { chatId })
					})
				: checkRequest({
						kind,
						requester: await agentFactsOf(ctx.store, requester.id),
						chat,
						target,
						agents: (await loadAgentFacts(ctx.store)).filter((a) => a.id !== requester.id),
						pending: await pendingRequests(ctx.store, { chatId })
					})
		);
		const row = {
			id: ctx.ids(),
			kind,
			chatId,
			requesterId: requester.id,
			targetAgentId: target.kind === 'agent' ? target.agentId : null,
			targetSkill: target.kind === 'skill' ? target.skill : null,
			status: 'pending' as const,
			createdAt: now,
			expiresAt: now + (await requestTimeoutSec(ctx, requester)) * 1000,
			note: body.note ?? null
		};
		await db.insert(t.conferenceRequests).values(row);
		for (const a of offerees) await db.insert(t.conferenceOffers).values({ requestId: row.id, agentId: a.id });
		const req = toRequest(row, offerees.map((a) => ({ agentId: a.id, declined: false })));
		const label = await targetLabel(ctx.store, req);
		await recordAudit(ctx.store, {
			chatId,
			actor: requester.id,
			kind: `${kind}.requested`,
			data: { requestId: row.id, target, offeredTo: offerees.map((a) => a.id), expiresAt: row.expiresAt, note: row.note },
			at: now
		});
		const last = await lastCustomerMessage(ctx, chatId);
		const [topic] = await db.select({ name: t.topics.name }).from(t.topics).where(eq(t.topics.id, chat.topicId)).limit(1);
		await publishRequest(
			ctx,
			req,
			{
				chatId,
				topic: topic?.name ?? '',
				customerName: chat.customerName,
				requesterName: requester.name,
				request: kind,
				target: target.kind,
				...(target.kind === 'skill' ? { skill: target.skill } : {}),
				at: now,
				expiresAt: req.expiresAt,
				...(row.note ? { note: row.note } : {}),
				...(last ? { lastCustomerMessage: last } : {})
			},
			label
		);
		return { requestId: req.id, expiresAt: req.expiresAt, offeredTo: req.offers.length };
	});
}

/** C15: how long the requester's offers stay open (its chat configuration's timeout; 60 s without one). */
async function requestTimeoutSec(ctx: Ctx, requester: UserRow): Promise<number> {
	const { db, t } = ctx.store;
	const c = t.chatConfigurations;
	const [row] = await db
		.select({ s: c.requestTimeoutSec })
		.from(c)
		.where(eq(c.id, requester.chatConfigurationId ?? ''))
		.limit(1);
	return row?.s ?? 60;
}
