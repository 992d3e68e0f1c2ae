import type { SyncAdmission } from '../../../src/lib/core/access';
import type { DocRef } from '../../../src/lib/core/doc-name';
import { authenticate, parseCookies } from './authenticate';
import type { Ctx, Identity } from '../context';
import { accessToDoc, actorOf, authorOf, presentIn } from './doc-access';

/** What a sync request brings to be judged by: its cookies, a `?token=`, the document. */
export interface SyncRequest {
	cookie: string | undefined;
	token: string | undefined;
	doc: DocRef;
}

/**
 * The gateway's admission hook (wired in app-server): who the request is, and whether it may
 * read or write the document. One session or chat-token lookup and one access query.
 */
export async function authorizeSync(ctx: Ctx, request: SyncRequest): Promise<SyncAdmission> {
	const chatId = request.doc.kind === 'agent' ? undefined : request.doc.chatId;
	const identity = await authenticate(ctx, parseCookies(request.cookie), { chatId, token: request.token });
	if (!identity) return { ok: false, why: 'not-signed-in' };
	const mode = await accessToDoc(ctx, identity, request.doc);
	if (!mode) return { ok: false, why: 'forbidden' };
	// B3: agents in the chat edit the shared draft; a supervisor only once it joined (B6).
	const user = identity.kind === 'user' ? identity.user : null;
	const draft = user?.role === 'agent' || (user?.role === 'supervisor' && chatId !== undefined && (await presentIn(ctx, chatId, user.id)));
	return {
		ok: true,
		mode,
		principal: {
			author: authorOf(identity),
			actor: actorOf(identity),
			holder: holderOf(identity),
			sessionId: identity.kind === 'user' ? identity.sessionId : null,
			draft
		}
	};
}

/** Whose connection budget a socket uses: its session, or its customer's chat token. */
const holderOf = (identity: Identity) =>
	identity.kind === 'user' ? `session:${identity.sessionId}` : `customer:${identity.chatId}:${identity.customerId}`;
