import type { UserRow } from '../../auth/sessions';
import { DomainError, type Identity } from '../context';

/** The staff who answer chats: agents, and supervisors (B6) in the chats they join. */
export const CHAT_STAFF_ROLES = ['agent', 'supervisor'] as const;

/** Whether `user` answers chats (an agent or a supervisor), and so works in an agent's console. */
export const answersChats = (user: UserRow): boolean => (CHAT_STAFF_ROLES as readonly string[]).includes(user.role);

/**
 * The signed-in agent (or supervisor: B6, it works in the chats it joins like an agent, and is
 * never routed new chats), or NOT_SIGNED_IN / FORBIDDEN.
 */
export function requireAgent(identity: Identity | null): UserRow {
	const user = requireUser(identity);
	if (!answersChats(user)) throw new DomainError('FORBIDDEN', 'only agents may do this');
	return user;
}

/** B6: the signed-in supervisor, or NOT_SIGNED_IN / FORBIDDEN. */
export function requireSupervisor(identity: Identity | null): UserRow {
	const user = requireUser(identity);
	if (user.role !== 'supervisor') throw new DomainError('FORBIDDEN', 'only supervisors may do this');
	return user;
}

export function requireUser(identity: Identity | null): UserRow {
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in');
	if (identity.kind !== 'user') throw new DomainError('FORBIDDEN', 'customers may not do this');
	return identity.user;
}
