import type { UserRow } from '../../auth/sessions';
import { DomainError, type Identity } from '../context';
import { requireUser } from '../identity/require';

/** A2/A3: the signed-in auditor, or NOT_SIGNED_IN / FORBIDDEN. */
export function requireAuditor(identity: Identity | null): UserRow {
	const user = requireUser(identity);
	if (user.role !== 'auditor') throw new DomainError('FORBIDDEN', 'only auditors may read the audit trail');
	return user;
}

// Signing in and out changes no record of the organisation; every other write does.
const SESSION_PATHS = new Set(['/api/auth/login', '/api/auth/logout']);

/** A3: whether a request changes state (anything but reading, signing in and signing out). */
export function isWriteRequest(method: string, path: string): boolean {
	return !(method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || SESSION_PATHS.has(path));
}

/**
 * A3: auditors change nothing. Called for every state-changing request, whatever the endpoint
 * (also ones added later, and ones open to anyone such as starting a chat).
 */
export function refuseAuditorWrite(identity: Identity | null): void {
	if (identity?.kind === 'user' && identity.user.role === 'auditor')
		throw new DomainError('FORBIDDEN', 'auditors have read-only access: they cannot change anything');
}
