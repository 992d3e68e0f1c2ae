import type { IncomingMessage } from 'node:http';
import type { SyncAdmission } from '../../src/lib/core/access';
import { parseDocName, type DocRef } from '../../src/lib/core/doc-name';
import { CLOSE } from './protocol';

/** What main wires into the gateway: the origin rule and who may open which document. */
export interface AdmissionHooks {
	originAllowed(origin: string | undefined, host: string | undefined): boolean;
	authorize(request: { cookie: string | undefined; token: string | undefined; doc: DocRef }): Promise<SyncAdmission>;
}

export type Admitted = Extract<SyncAdmission, { ok: true }> & { name: string };
export type Refused = { ok: false; code: number; reason: string };

/**
 * Decides a `/sync/<doc>` upgrade before anything the client sends is read: the Origin, the
 * document's name (anchored: only names it would print the same way), then the hook's verdict
 * (frames that arrive meanwhile are held unread by the gateway).
 */
export async function admit(req: IncomingMessage, url: URL, hooks: AdmissionHooks): Promise<Admitted | Refused> {
	if (!hooks.originAllowed(req.headers.origin, req.headers.host))
		return { ok: false, code: CLOSE.FORBIDDEN, reason: 'origin not allowed' };
	const name = decodeDocName(url.pathname.slice('/sync/'.length));
	const doc = parseDocName(name);
	if (!doc) return { ok: false, code: CLOSE.NO_SUCH_DOC, reason: 'no such document' };
	const verdict = await hooks.authorize({ cookie: req.headers.cookie, token: url.searchParams.get('token') ?? undefined, doc });
	if (verdict.ok) return { ...verdict, name };
	return verdict.why === 'not-signed-in'
		? { ok: false, code: CLOSE.NOT_SIGNED_IN, reason: 'sign in first' }
		: { ok: false, code: CLOSE.FORBIDDEN, reason: 'not allowed to open this document' };
}

/** A malformed %-escape names no document (instead of throwing out of the upgrade). */
function decodeDocName(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		return '';
	}
}
