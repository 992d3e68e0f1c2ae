import type * as Y from 'yjs';
import { ACCESS_ENDED } from '../../src/lib/core/close-codes';
import { docNames, type DocRef } from '../../src/lib/core/doc-name';
import type { SocketAction } from './socket-actions';

// B5: a leave or an end decided on another instance closes or downgrades this instance's sockets
// through a socket action on the bus. While Redis is down that action never comes, but the rows
// of the decision do (the periodic check reads them from the log), and `chat/<id>` itself says
// who left (`participants[id].leftAt`) and whether the chat ended (`meta.status`). So whatever
// arrives from another instance is read for that too, and the same actions are done here: a
// leaver's socket on another instance closes within one check even during an outage. Doing an
// action twice (bus and rows) is harmless: a closed socket stays closed, read stays read.

/** What of a chat document decides access: which staff have left, and whether it ended. */
export interface AccessFacts {
	left: Set<string>;
	ended: boolean;
}

export function accessFacts(doc: Y.Doc): AccessFacts {
	const left = new Set<string>();
	// Staff who left; a customer's chat ends instead (read-only, not closed).
	for (const [id, p] of doc.getMap<{ role?: unknown; leftAt?: unknown }>('participants').entries())
		if (p && p.role !== 'customer' && typeof p.leftAt === 'number') left.add(id);
	return { left, ended: doc.getMap('meta').get('status') === 'ended' };
}

/** The socket actions a change of access facts asks for (as the deciding instance's own). */
export function accessActions(ref: DocRef, before: AccessFacts, after: AccessFacts): SocketAction[] {
	if (ref.kind !== 'chat') return [];
	const actions: SocketAction[] = [];
	for (const actor of after.left) {
		if (before.left.has(actor)) continue;
		for (const doc of [docNames.chat(ref.chatId), docNames.chatAgents(ref.chatId)])
			actions.push({ kind: 'close-actor', doc, actor, code: ACCESS_ENDED, reason: 'you left this chat' });
	}
	if (after.ended && !before.ended) actions.push({ kind: 'read-only', doc: docNames.chat(ref.chatId) });
	return actions;
}
