import { eq } from 'drizzle-orm';
import type { ConferenceRequest } from '../../../src/lib/core/conference/types';
import type { Facts } from '../../storage/facts';

/** "Grace" or "all agents with billing": how a request's target reads in banners and chips. */
export async function targetLabel(store: Facts, req: Pick<ConferenceRequest, 'target'>): Promise<string> {
	if (req.target.kind === 'skill') return `all agents with ${req.target.skill}`;
	const { agentId } = req.target;
	const { db, t } = store;
	const [row] = await db.select({ name: t.users.name }).from(t.users).where(eq(t.users.id, agentId)).limit(1);
	return row?.name ?? agentId;
}
