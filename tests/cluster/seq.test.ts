import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/core/doc-name';
import * as ROOT from '../../src/lib/core/doc-roots';
import { openPostgresStorage } from '../../server/storage/postgres/storage';
import type { StoragePort } from '../../server/storage/update-log';
import { DocRegistry } from '../../server/sync/doc-registry';
import { createRoots, type LiveDoc, type Peer } from '../../server/sync/live-doc';
import { migratedDatabaseForSuite, sayWhyPostgresIsSkipped, TEST_POSTGRES } from '../helpers/postgres';

// B5 (issue 13), step 1: two instances (two registries, two connection pools) on one PostgreSQL
// database append to one document at once. The log's (doc, seq) key gives each seq to one of
// them; the other catches up from the log and appends after it. Nothing is lost or stored twice,
// the seqs have no hole, and both live documents end equal to the log replayed.
sayWhyPostgresIsSkipped();

const NOW = 1_700_000_000_000;
const text = (id: string, actor: string) => ({ id, kind: 'text', author: { id: actor, role: 'customer', name: actor }, text: id, at: NOW });

function peer(actor: string): Peer & { sent: Uint8Array[]; closed: number[] } {
	const sent: Uint8Array[] = [];
	const closed: number[] = [];
	return { send: (m) => sent.push(m), close: (code) => closed.push(code), awarenessIds: new Set(), mode: 'write', actor, sent, closed };
}

/** A writer's own Y.Doc: each call appends one message and returns the update (as a client sends it). */
function writer(name: string, actor: string) {
	const doc = new Y.Doc();
	createRoots(doc, parseDocName(name)!);
	let first = true;
	return (id: string) => {
		let update!: Uint8Array;
		const take = (u: Uint8Array) => (update = u);
		doc.on('update', take);
		doc.getArray(ROOT.MESSAGES).push([text(id, actor)]);
		doc.off('update', take);
		const ids = first ? [doc.clientID] : [];
		first = false;
		return { update, ids };
	};
}

const ids = (live: LiveDoc) => live.doc.getArray<{ id: string }>(ROOT.MESSAGES).toArray().map((m) => m.id).sort();

describe.skipIf(!TEST_POSTGRES)('[B5] two instances, one document, one PostgreSQL log', () => {
	const database = migratedDatabaseForSuite();
	const opened: { storage: StoragePort; docs: DocRegistry }[] = [];
	const errors: string[] = [];
	afterEach(async () => {
		for (const { storage, docs } of opened.splice(0)) {
			await docs.closeAll();
			await storage.close();
		}
		errors.length = 0;
	});

	async function instance() {
		const storage = await openPostgresStorage(database().url);
		const docs = new DocRegistry(storage, () => NOW, 60_000, undefined, (what, err) => errors.push(`${what}: ${err}`));
		opened.push({ storage, docs });
		return { storage, docs };
	}

	async function replayed(storage: StoragePort, name: string) {
		const doc = new Y.Doc();
		createRoots(doc, parseDocName(name)!);
		for (const r of await storage.log.readRange(name)) Y.applyUpdate(doc, r.update);
		return doc.getArray<{ id: string }>(ROOT.MESSAGES).toArray().map((m) => m.id).sort();
	}

	it('[B5 seq] client writes racing on two instances: every one stored once, seqs 1..n, both converge', async () => {
		const a = await instance();
		const b = await instance();
		const name = `chat/${randomBytes(6).toString('hex')}`;
		const [liveA, liveB] = await Promise.all([a.docs.get(name), b.docs.get(name)]);
		const pa = peer('ada');
		const pb = peer('bob');
		a.docs.attach(liveA, pa);
		b.docs.attach(liveB, pb);
		const wa = writer(name, 'ada');
		const wb = writer(name, 'bob');
		const sent: string[] = [];
		for (let i = 0; i < 40; i++) {
			// Each submits when its previous write is applied (as the gateway does): both race each round.
			const ua = wa(`a${i}`);
			const ub = wb(`b${i}`);
			sent.push(`a${i}`, `b${i}`);
			const seqA = liveA.seq;
			const seqB = liveB.seq;
			liveA.submitClientUpdate(pa, ua.update, ua.ids);
			liveB.submitClientUpdate(pb, ub.update, ub.ids);
			await expect.poll(() => liveA.seq > seqA && liveB.seq > seqB && !liveA.busy && !liveB.busy).toBe(true);
		}
		const rows = await a.storage.log.readRange(name);
		expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
		expect(rows).toHaveLength(80);
		expect(await replayed(a.storage, name)).toEqual(sent.sort());
		await liveA.catchUp.fromLog();
		await liveB.catchUp.fromLog();
		expect(ids(liveA)).toEqual(sent);
		expect(ids(liveB)).toEqual(sent);
		expect(liveA.seq).toBe(80);
		expect(liveB.seq).toBe(80);
		// Who owns which clientID came along with the rows (the write policy needs it on both).
		expect(liveA.clientOwners).toEqual(liveB.clientOwners);
		expect(pa.closed).toEqual([]);
		expect(pb.closed).toEqual([]);
		// Each peer was sent the other instance's messages (what it caught up on), never its own.
		expect(pa.sent.length).toBeGreaterThan(0);
	});

	it('[B5 seq] decisions racing on two instances: each runs again after a taken seq, none lost', async () => {
		const a = await instance();
		const b = await instance();
		const name = `chat/${randomBytes(6).toString('hex')}`;
		await Promise.all([a.docs.get(name), b.docs.get(name)]);
		const push = (id: string) => (d: Y.Doc) => void d.getArray(ROOT.MESSAGES).push([{ ...text(id, 'system'), kind: 'system' }]);
		const want: string[] = [];
		const runs: Promise<void>[] = [];
		for (let i = 0; i < 15; i++) {
			want.push(`a${i}`, `b${i}`);
			runs.push(a.docs.change(name, 'server', push(`a${i}`)), b.docs.change(name, 'server', push(`b${i}`)));
		}
		await Promise.all(runs);
		const rows = await a.storage.log.readRange(name);
		expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
		expect(await replayed(a.storage, name)).toEqual(want.sort());
		for (const x of [a, b]) {
			const live = x.docs.loaded(name)!;
			await live.catchUp.fromLog();
			expect(ids(live)).toEqual(want);
		}
	});
});
