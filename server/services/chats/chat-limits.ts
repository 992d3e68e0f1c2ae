import { sql, type SQL } from 'drizzle-orm';
import { DomainError, type Ctx } from '../context';
import { waitText } from './wait-text';

export interface ChatLimits {
	/** Chats one source (client address, IPv6 /64) may start in `windowMs`. */
	perAddress: number;
	/** Chats one email may start in `windowMs`, from wherever. */
	perEmail: number;
	windowMs: number;
	/** Chats everyone together may start in a minute. */
	globalPerMinute: number;
	/** Chats of one source that may wait for an agent at once. */
	waitingPerAddress: number;
}

/**
 * A family behind one router starts a few chats; a flood does not get far. The per-email limit
 * is above the per-address one, so one address alone cannot use up someone else's email.
 */
export const DEFAULT_CHAT_LIMITS: ChatLimits = {
	perAddress: 5,
	perEmail: 10,
	windowMs: 10 * 60 * 1000,
	globalPerMinute: 120,
	waitingPerAddress: 3
};

const MINUTE = 60 * 1000;
/** Waiting chats leave the queue when an agent answers: no exact time to give; ask again in a minute. */
const WAITING_RETRY_SEC = 60;

/**
 * T3: refuses a new chat past any limit, with when to try again; called before anything is
 * written. Counts the chats in the database (the index on source_key and created_at), so the
 * limits hold across restarts.
 */
export async function checkChatLimits(ctx: Ctx, source: string, email: string) {
	const limits = ctx.config.chatLimits;
	const now = ctx.clock();
	const [{ n: waiting }] = await ctx.store.all<{ n: number }>(
		sql`SELECT count(*) AS n FROM chats WHERE source_key = ${source} AND status = 'waiting'`
	);
	if (waiting >= limits.waitingPerAddress)
		throw new DomainError(
			'TOO_MANY_CHATS',
			`you already have ${waiting} chat${waiting === 1 ? '' : 's'} waiting for an agent; please go back to ${waiting === 1 ? 'it' : 'one of them'} (an agent answers there) or end one first`,
			WAITING_RETRY_SEC
		);
	const window = waitText(limits.windowMs);
	const bySource = await nthNewest(ctx, limits.perAddress, sql`WHERE source_key = ${source} ORDER BY created_at DESC`);
	if (bySource !== null && now - bySource < limits.windowMs)
		refuse(`too many chats started from your network in the last ${window}`, bySource + limits.windowMs - now);
	const byEmail = await nthNewest(
		ctx,
		limits.perEmail,
		sql`JOIN customers ON customers.id = chats.customer_id WHERE customers.email = ${email} ORDER BY chats.created_at DESC`
	);
	if (byEmail !== null && now - byEmail < limits.windowMs)
		refuse(`too many chats started with this email in the last ${window}`, byEmail + limits.windowMs - now);
	// The newest chats of all, by start time (insertion order, portably; ties do not change the nth
	// start time). No index leads with created_at: this reads every chat row (~8 ms per 100k on SQLite).
	const byAll = await nthNewest(ctx, limits.globalPerMinute, sql`ORDER BY chats.created_at DESC`);
	if (byAll !== null && now - byAll < MINUTE)
		refuse('we are receiving more chats than we can take right now', byAll + MINUTE - now);
}

/** When the nth newest chat (of those the clause selects) started; null if there are fewer. */
async function nthNewest(ctx: Ctx, n: number, clause: SQL): Promise<number | null> {
	const [row] = await ctx.store.all<{ at: number }>(sql`SELECT chats.created_at AS at FROM chats ${clause} LIMIT 1 OFFSET ${n - 1}`);
	return row?.at ?? null;
}

function refuse(reason: string, waitMs: number): never {
	const seconds = Math.max(1, Math.ceil(waitMs / 1000));
	throw new DomainError('TOO_MANY_CHATS', `${reason}; please try again in ${waitText(seconds * 1000)}`, seconds);
}
