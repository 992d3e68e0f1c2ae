import { invalidateSession } from '../../auth/sessions';
import type { Ctx, Identity } from '../context';
import { requireUser } from './require';

/** Ends the session and closes its sockets at once. */
export function logout(ctx: Ctx, identity: Identity | null) {
	requireUser(identity);
	if (identity?.kind !== 'user') return { ok: true };
	invalidateSession(ctx.db, identity.sessionId);
	ctx.closeSessionSockets(identity.sessionId);
	return { ok: true };
}
