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

/**
 * The socket actions a remote transaction on `chat/<id>` asks for (as the deciding instance's
 * own), read from what it changed: a staff participant whose entry now has `leftAt`, and
 * `meta.status` now `ended`. A transaction that only appended messages costs two map lookups.
 */
export function accessActions(ref: DocRef, doc: Y.Doc, changed: Y.Transaction['changed']): SocketAction[] {
	if (ref.kind !== 'chat') return [];
	const actions: SocketAction[] = [];
	const participants = doc.getMap<{ role?: unknown; leftAt?: unknown }>('participants');
	for (const actor of changed.get(participants as Y.AbstractType<any>) ?? []) {
		const p = actor === null ? undefined : participants.get(actor);
		// Staff who left; a customer's chat ends instead (read-only, not closed).
		if (!p || p.role === 'customer' || typeof p.leftAt !== 'number') continue;
		for (const name of [docNames.chat(ref.chatId), docNames.chatAgents(ref.chatId)])
			actions.push({ kind: 'close-actor', doc: name, actor: actor!, code: ACCESS_ENDED, reason: 'you left this chat' });
	}
	const meta = doc.getMap('meta');
	if (changed.get(meta as Y.AbstractType<any>)?.has('status') && meta.get('status') === 'ended') actions.push({ kind: 'read-only', doc: docNames.chat(ref.chatId) });
	return actions;
}
