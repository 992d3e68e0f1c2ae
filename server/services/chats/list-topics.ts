import { asc } from 'drizzle-orm';
import type { Call } from '../context';

/** The chat buttons a customer can pick from. */
export async function listTopics({ ctx }: Call<undefined>) {
	const { db, t } = ctx.store;
	return { topics: await db.select().from(t.topics).orderBy(asc(t.topics.name)) };
}
