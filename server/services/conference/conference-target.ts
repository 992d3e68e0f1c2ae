import { eq } from 'drizzle-orm';
import type { ConferenceRequest } from '../../../src/lib/core/conference/types';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';

/** "Grace" or "all agents with billing": how a request's target reads in banners and chips. */
export function targetLabel(db: Pick<Db, 'select'>, req: Pick<ConferenceRequest, 'target'>): string {
	if (req.target.kind === 'skill') return `all agents with ${req.target.skill}`;
	const { agentId } = req.target;
	return db.select({ name: users.name }).from(users).where(eq(users.id, agentId)).get()?.name ?? agentId;
}
