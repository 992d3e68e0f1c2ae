import { dueForExpiry } from '../../../src/lib/core/conference/rules';
import { pendingRequests } from './conference-facts';
import type { Call } from '../context';
import { closeRequests, publishClosed } from './withdraw-requests';

/**
 * C15: pending requests whose timeout has passed become expired. Run by a timer (actor: null);
 * accepting checks the deadline itself, so a late sweep never lets a late accept through.
 */
export async function expireConferenceRequests({ ctx }: Call<undefined>) {
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const due = dueForExpiry(await pendingRequests(ctx.store), now);
		const closed = await closeRequests(ctx.store, due, 'expired', 'server', now);
		await publishClosed(ctx, closed);
		return { expired: closed.length };
	});
}
