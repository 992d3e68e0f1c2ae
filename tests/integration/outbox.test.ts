import { describe, expect, it } from 'vitest';
import * as ROOT from '../../src/lib/core/doc-roots';
import { DocRegistry } from '../../server/sync/doc-registry';
import type { Peer } from '../../server/sync/live-doc';
import { UpdateLog } from '../../server/sync/update-log';
import { tempStores } from '../helpers/store';

// The outbox (issue 12) on a real SQLite file: a decision's document changes are in the log only
// if the decision commits, and nobody is sent any of them before the commit.

const newStore = tempStores('parley-outbox-');
const NAME = 'chat/c1';
const notice = (id: string) => ({ id, kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text: id, at: 1 });

function setup() {
	const store = newStore();
	const docs = new DocRegistry(new UpdateLog(store.sqlite), () => 1_700_000_000_000, 60_000, undefined, () => undefined);
	const sent: Uint8Array[] = [];
	const closed: number[] = [];
	const peer: Peer = { send: (m) => sent.push(m), close: (code) => closed.push(code), awarenessIds: new Set(), mode: 'read', actor: 'p' };
	docs.attach(docs.get(NAME), peer);
	const transaction = <R>(fn: () => R): R => store.sqlite.transaction(fn)();
	const logged = () => (store.sqlite.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(NAME) as { n: number }).n;
	const messages = () => docs.get(NAME).doc.getArray<{ id: string }>(ROOT.MESSAGES).toArray().map((m) => m.id);
	return { docs, sent, closed, transaction, logged, messages };
}

describe('[outbox] one decision, one transaction', () => {
	it('[outbox] a committed decision: its changes are logged with it and sent only after the commit', () => {
		const { docs, sent, transaction, logged, messages } = setup();
		let sentDuring = -1;
		docs.decide(transaction, () => {
			docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('n1')]));
			docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('n2')]));
			sentDuring = sent.length;
		});
		expect(sentDuring).toBe(0);
		expect(sent).toHaveLength(2);
		expect(logged()).toBe(2);
		expect(messages()).toEqual(['n1', 'n2']);
	});

	it('[outbox] a decision that throws: nothing logged, nothing sent, the document as it was', () => {
		const { docs, sent, transaction, logged, messages } = setup();
		docs.change(NAME, 'server', (d) => d.getArray(ROOT.MESSAGES).push([notice('before')]));
		const seq = docs.get(NAME).seq;
		sent.length = 0;
		expect(() =>
			docs.decide(transaction, () => {
				docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('lost')]));
				throw new Error('the rule said no after all');
			})
		).toThrow('the rule said no');
		expect(sent).toEqual([]);
		expect(logged()).toBe(1);
		expect(messages()).toEqual(['before']);
		expect(docs.get(NAME).seq).toBe(seq);
		// The document goes on from the log's state.
		docs.decide(transaction, () => docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('after')])));
		expect(messages()).toEqual(['before', 'after']);
		expect(logged()).toBe(2);
		expect(sent).toHaveLength(1);
	});

	it('[outbox] the moment between commit and broadcast exists only for a decision that changed documents', () => {
		const { docs, sent, transaction } = setup();
		const moments: number[] = [];
		docs.decide(transaction, () => undefined, () => moments.push(sent.length)); // e.g. an expiry sweep with nothing due
		docs.decide(transaction, () => docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('n')])), () => moments.push(sent.length));
		expect(moments).toEqual([0]); // once, and before anything was sent
		expect(sent).toHaveLength(1);
	});

	it('[outbox] sockets are closed by a decision only once it committed, and never by one rolled back', () => {
		const { docs, closed, transaction } = setup();
		expect(() =>
			docs.decide(transaction, () => {
				docs.forEachPeer(NAME, (p) => p.close(4410, 'left'));
				throw new Error('no');
			})
		).toThrow();
		expect(closed).toEqual([]);
		let closedDuring = -1;
		docs.decide(transaction, () => {
			docs.forEachPeer(NAME, (p) => p.close(4410, 'left'));
			closedDuring = closed.length;
		});
		expect(closedDuring).toBe(0);
		expect(closed).toEqual([4410]);
	});

	it('[outbox] a decision inside a decision is part of the outer one', () => {
		const { docs, sent, transaction, logged } = setup();
		docs.decide(transaction, () => {
			docs.decide(transaction, () => docs.change(NAME, 'ada', (d) => d.getArray(ROOT.MESSAGES).push([notice('inner')])));
			expect(sent).toHaveLength(0);
		});
		expect(sent).toHaveLength(1);
		expect(logged()).toBe(1);
	});
});
