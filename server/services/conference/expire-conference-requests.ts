import { dueForExpiry } from '../../../src/lib/core/conference/rules';
import { pendingRequests } from './conference-facts';
import type { Ctx } from '../context';
import { closeRequests, publishClosed } from './withdraw-requests';

/**
 * C15: pending requests whose timeout has passed become expired. Run by a timer; accepting
 * checks the deadline itself, so a late sweep never lets a late accept through.
 */
export function expireConferenceRequests(ctx: Ctx) {
	const now = ctx.now();
	const closed = ctx.db.transaction((tx) => closeRequests(tx, dueForExpiry(pendingRequests(tx), now), 'expired', 'server', now));
	publishClosed(ctx, closed);
	return { expired: closed.length };
}
