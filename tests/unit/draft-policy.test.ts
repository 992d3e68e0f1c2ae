import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { huddleRules } from '../../server/sync/huddle-policy';
import { checkClientUpdate, type PolicyResult } from '../../server/sync/write-policy';
import { createRoots } from '../../src/lib/core/doc-roots';
import type { Author } from '../../src/lib/core/types';

// B3: the write policy on the shared draft, with updates made by real Y.Docs: what honest
// clients send in the corners (offline typing, deletes alone, re-sends) is taken; a watcher
// (no draft right) is refused.
const ada: Author = { id: 'ada', role: 'agent', name: 'Ada' };
const T0 = 1_800_000_000_000;
const principal = (draft: boolean) => ({ author: ada, actor: 'ada', holder: 'h', sessionId: 's', draft });

function setup() {
	const server = new Y.Doc();
	createRoots(server, 'chatAgents');
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	return { server, client, owners: new Map<number, string>() };
}
function check(server: Y.Doc, update: Uint8Array, owners: Map<number, string>, draft = true): PolicyResult {
	return checkClientUpdate({
		doc: server,
		update,
		writer: ada,
		appendOnlyArrays: ['whispers'],
		...huddleRules(principal(draft)),
		clientOwners: owners,
		now: T0,
		messageIds: new Set(),
		concurrent: () => false,
		maxMessages: 10
	});
}
/** Applies an accepted update to the server as the gateway would. */
function take(server: Y.Doc, update: Uint8Array, owners: Map<number, string>) {
	const r = check(server, update, owners);
	expect(r).toMatchObject({ ok: true });
	if (r.ok) for (const c of r.newClientIds) owners.set(c, 'ada');
	Y.applyUpdate(server, update);
	return r;
}
const diff = (from: Y.Doc, to: Y.Doc) => Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));

describe('[#14 B3] the draft under the write policy', () => {
	it('[#14 B3] text typed and deleted while offline comes back with its deletion and is taken', () => {
		const { server, client, owners } = setup();
		client.getText('draft').insert(0, 'Hello there');
		client.getText('draft').delete(5, 6); // typed, then deleted, never sent
		client.getText('draft').insert(5, '!');
		take(server, diff(client, server), owners);
		expect(server.getText('draft').toString()).toBe('Hello!');
	});

	it('[#14 B3] a delete alone is a change (and applied); a re-send of known text changes nothing', () => {
		const { server, client, owners } = setup();
		client.getText('draft').insert(0, 'abc');
		const first = diff(client, server);
		take(server, first, owners);
		expect(check(server, first, owners)).toMatchObject({ ok: true, changes: false });
		const updates: Uint8Array[] = [];
		client.on('update', (u: Uint8Array) => updates.push(u));
		client.getText('draft').delete(0, 2);
		expect(take(server, updates[0], owners)).toMatchObject({ changes: true });
		expect(server.getText('draft').toString()).toBe('c');
	});

	it('[#14 B3] a watcher without the draft right may not touch it, but may whisper', () => {
		const { server, client, owners } = setup();
		client.getText('draft').insert(0, 'x');
		expect(check(server, diff(client, server), owners, false)).toMatchObject({ ok: false });
	});

	it('[#14 B3] the limit counts what remains: replacing text at the limit is fine', () => {
		const { server, client, owners } = setup();
		client.getText('draft').insert(0, 'x'.repeat(4000));
		take(server, diff(client, server), owners);
		client.transact(() => {
			client.getText('draft').delete(0, 10);
			client.getText('draft').insert(0, 'y'.repeat(10));
		});
		take(server, diff(client, server), owners);
		expect(server.getText('draft').length).toBe(4000);
		client.getText('draft').insert(0, 'z');
		expect(check(server, diff(client, server), owners)).toMatchObject({ ok: false, reason: 'draft longer than 4000 characters' });
	});
});
