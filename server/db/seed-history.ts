import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { hashToken, generateToken } from '../auth/tokens';
import { docNames } from '../../src/lib/core/doc-name';
import * as ROOT from '../../src/lib/core/doc-roots';
import type { ChatMessage, Participant } from '../../src/lib/core/types';
import type { Facts } from '../storage/facts';
import type { UpdateLogWriter } from '../storage/update-log';

// The demo's returning customer (C9, C10) and records (C11): Pat has an earlier Billing chat with
// Grace and an earlier Technical chat with Linus, so each agent sees one and is warned of the other.
// Both are proven (T4): the first founded Pat, the second came from Pat's browser. Typing Pat's
// email in another browser is only a claim, which sees neither.
const DAY = 24 * 60 * 60 * 1000;
export const PAT = { id: 'pat', email: 'pat@example.com', name: 'Pat' };

const EARLIER = [
	{
		id: 'seed-pat-billing',
		topicId: 'billing',
		skill: 'billing',
		routing: 'omni' as const,
		agent: { id: 'grace', name: 'Grace' },
		daysAgo: 12,
		identity: 'new' as const,
		lines: [
			['customer', 'I was charged twice for March.'],
			['agent', 'I see both charges — I have refunded the second one.'],
			['customer', 'Thank you!']
		]
	},
	{
		id: 'seed-pat-tech',
		topicId: 'technical',
		skill: 'tech',
		routing: 'button' as const,
		agent: { id: 'linus', name: 'Linus' },
		daysAgo: 3,
		identity: 'token' as const,
		lines: [
			['customer', 'My router drops the connection every evening.'],
			['agent', 'Please update the firmware to 2.4.1 and tell me if it happens again.']
		]
	}
];

export const DEMO_RECORDS = [
	{ id: 'rec-contact-pat', type: 'contact', title: 'Pat Example', summary: 'Customer since 2021 · pat@example.com', customerId: 'pat', requiredSkill: null, requiredAgentId: null },
	{ id: 'rec-case-1042', type: 'case', title: 'Case 1042 · double charge in March', summary: 'Refund issued, watch April invoice', customerId: 'pat', requiredSkill: 'billing', requiredAgentId: null },
	{ id: 'rec-order-7781', type: 'order', title: 'Order 7781 · router R2', summary: 'Firmware 2.3.9 at delivery', customerId: 'pat', requiredSkill: 'tech', requiredAgentId: null },
	{ id: 'rec-case-escalation', type: 'case', title: 'Escalation · account review', summary: 'Handled personally by Ada', customerId: 'pat', requiredSkill: null, requiredAgentId: 'ada' }
] as const;

/**
 * Pat, the records and the two earlier chats with their transcripts (seq 1 of each chat's
 * document, through the update log). A chat that exists already is left as it is.
 */
export async function seedHistory(store: Facts, log: UpdateLogWriter, now = Date.now()) {
	const { db, t } = store;
	await db.insert(t.customers).values(PAT).onConflictDoNothing();
	await db
		.insert(t.records)
		.values(DEMO_RECORDS.map((r) => ({ ...r })))
		.onConflictDoNothing();
	for (const c of EARLIER) {
		const start = now - c.daysAgo * DAY;
		const inserted = await db
			.insert(t.chats)
			.values({
				id: c.id,
				topicId: c.topicId,
				skill: c.skill,
				routing: c.routing,
				customerId: PAT.id,
				customerName: PAT.name,
				customerTokenHash: hashToken(generateToken()),
				status: 'ended',
				originatingAgentId: c.agent.id,
				createdAt: start,
				endedAt: start + 10 * 60 * 1000,
				identity: c.identity
			})
			.onConflictDoNothing()
			.returning({ id: t.chats.id });
		if (inserted.length === 0) {
			// Seeded before chats had an identity, the migration made them `claimed`: prove them.
			await db
				.update(t.chats)
				.set({ identity: c.identity })
				.where(and(eq(t.chats.id, c.id), eq(t.chats.identity, 'claimed')));
			continue;
		}
		await db.insert(t.chatParticipants).values([
			{ chatId: c.id, userId: PAT.id, role: 'customer', joinedAt: start },
			{ chatId: c.id, userId: c.agent.id, role: 'agent', joinedAt: start + 60_000 }
		]);
		await log.append([{ doc: docNames.chat(c.id), seq: 1, update: transcript(c, start), actor: 'seed', at: start, clientIds: [] }]);
	}
}

function transcript(c: (typeof EARLIER)[number], start: number): Uint8Array {
	const doc = new Y.Doc();
	const customer = { id: PAT.id, role: 'customer' as const, name: PAT.name };
	const agent = { id: c.agent.id, role: 'agent' as const, name: c.agent.name };
	doc.getMap(ROOT.META).set('status', 'ended');
	doc.getMap<Participant>(ROOT.PARTICIPANTS).set(PAT.id, { ...customer, joinedAt: start });
	doc.getMap<Participant>(ROOT.PARTICIPANTS).set(agent.id, { ...agent, role: 'agent', joinedAt: start + 60_000 });
	const messages: ChatMessage[] = c.lines.map(([who, text], i) => ({
		id: `${c.id}-${i}`,
		kind: 'text',
		author: who === 'customer' ? customer : agent,
		text,
		at: start + 60_000 * (i + 2)
	}));
	doc.getArray<ChatMessage>(ROOT.MESSAGES).push(messages);
	return Y.encodeStateAsUpdate(doc);
}
