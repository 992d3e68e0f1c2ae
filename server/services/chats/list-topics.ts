import { asc } from 'drizzle-orm';
import { topics } from '../../db/schema';
import type { Ctx } from '../context';

/** The chat buttons a customer can pick from. */
export function listTopics(ctx: Ctx) {
	return { topics: ctx.db.select().from(topics).orderBy(asc(topics.name)).all() };
}
