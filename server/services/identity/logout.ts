import { invalidateSession } from '../../auth/sessions';
import type { Call } from '../context';
import { requireUser } from './require';

/** Ends the session and closes its sockets at once. */
export async function logout({ ctx }: Call<undefined>) {
	requireUser(ctx.actor);
	const identity = ctx.actor;
	if (identity?.kind !== 'user') return { ok: true };
	return ctx.decide(async (ctx) => {
		await invalidateSession(ctx.store, identity.sessionId);
		ctx.closeSessionSockets(identity.sessionId);
		return { ok: true };
	});
}
