import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseDocName } from '../../src/lib/core/doc-name';
import * as ROOT from '../../src/lib/core/doc-roots';
import { openStore } from '../../server/db/client';
import { CountingStorage } from '../../server/ops/counting-storage';
import { openPostgresStorage } from '../../server/storage/postgres/storage';
import { SqliteStorage } from '../../server/storage/sqlite/storage';
import type { StoragePort } from '../../server/storage/update-log';
import { DocRegistry } from '../../server/sync/doc-registry';
import { createRoots, type Peer } from '../../server/sync/live-doc';
import { CLOSE } from '../../server/sync/protocol';
import { migratedDatabaseForSuite, sayWhyPostgresIsSkipped, TEST_POSTGRES } from '../helpers/postgres';
import { chatStatus, insertWaitingChat } from '../storage/contract-fixtures';

// The outbox (issue 12) on real stores, SQLite and (with PARLEY_TEST_POSTGRES) PostgreSQL: a
// decision's document changes are in the log only if the decision commits, nobody is sent any of
// them before the commit, and decisions and the client write batch take turns.
sayWhyPostgresIsSkipped();

const NOW = 1_700_000_000_000;
const notice = (id: string) => ({ id, kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text: id, at: 1 });
const push = (id: string) => (d: Y.Doc) => void d.getArray(ROOT.MESSAGES).push([notice(id)]);
const tick = () => new Promise((ok) => setTimeout(ok, 20));

function peer(actor: string, mode: 'read' | 'write' = 'read') {
	const sent: Uint8Array[] = [];
	const closed: number[] = [];
	const p: Peer = { send: (m) => sent.push(m), close: (code) => closed.push(code), awarenessIds: new Set(), mode, actor };
	return { peer: p, sent, closed };
}

/** A client's update appending one text message (as the write policy would let through). */
function clientUpdate(name: string, id: string, actor: string) {
	const doc = new Y.Doc();
	createRoots(doc, parseDocName(name)!);
	let update!: Uint8Array;
	doc.on('update', (u: Uint8Array) => (update = u));
	doc.getArray(ROOT.MESSAGES).push([{ ...notice(id), kind: 'text', author: { id: actor, role: 'customer', name: actor } }]);
	return { update, clientIds: [doc.clientID] };
}

function outboxCases(open: () => Promise<StoragePort>) {
	const opened: { storage: StoragePort; docs: DocRegistry }[] = [];
	afterEach(async () => {
		for (const { storage, docs } of opened.splice(0)) {
			await docs.closeAll();
			await storage.close();
		}
	});

	async function setup(wrap: (s: StoragePort) => StoragePort = (s) => s) {
		const storage = await open();
		const errors: string[] = [];
		const docs = new DocRegistry(wrap(storage), () => NOW, 60_000, undefined, (what) => errors.push(what));
		opened.push({ storage, docs });
		const name = `chat/${randomBytes(6).toString('hex')}`;
		const reader = peer('p');
		const live = await docs.get(name);
		docs.attach(live, reader.peer);
		const rows = async () => (await storage.log.readRange(name)).map((r) => `${r.seq} ${r.actor}`);
		const messages = () => docs.loaded(name)!.doc.getArray<{ id: string }>(ROOT.MESSAGES).toArray().map((m) => m.id);
		return { storage, docs, name, live, sent: reader.sent, closed: reader.closed, rows, messages, errors };
	}

	describe('one decision, one transaction', () => {
		it('[outbox] a committed decision: its facts and changes commit together, sent only after the commit', async () => {
			const { storage, docs, name, sent, rows, messages } = await setup();
			const chatId = randomBytes(6).toString('hex');
			let sentDuring = -1;
			await docs.decide(async (tx) => {
				await insertWaitingChat(tx, chatId);
				await docs.change(name, 'ada', push('n1'));
				await docs.change(name, 'ada', push('n2'));
				sentDuring = sent.length;
			});
			expect(sentDuring).toBe(0);
			expect(sent).toHaveLength(2);
			expect(await rows()).toEqual(['1 ada', '2 ada']);
			expect(messages()).toEqual(['n1', 'n2']);
			expect(await chatStatus(storage, chatId)).toBe('waiting');
			// The server's clientID is the server's, whoever the write was on behalf of.
			expect([...(await storage.log.load(name)).clients.values()]).toEqual(['server']);
		});

		it('[outbox] a decision that throws: nothing stored, nothing sent, the document as it was', async () => {
			const { storage, docs, name, live, sent, rows, messages } = await setup();
			await docs.change(name, 'server', push('before'));
			const seq = live.seq;
			sent.length = 0;
			const chatId = randomBytes(6).toString('hex');
			const failed = docs.decide(async (tx) => {
				await insertWaitingChat(tx, chatId);
				await docs.change(name, 'ada', push('lost'));
				throw new Error('the rule said no after all');
			});
			await expect(failed).rejects.toThrow('the rule said no');
			expect(sent).toEqual([]);
			expect(await rows()).toEqual(['1 server']);
			expect(messages()).toEqual(['before']);
			expect(docs.loaded(name)!.seq).toBe(seq);
			expect(await chatStatus(storage, chatId)).toBeUndefined();
			// The document goes on from the log's state.
			await docs.decide(() => docs.change(name, 'ada', push('after')));
			expect(messages()).toEqual(['before', 'after']);
			expect(await rows()).toEqual(['1 server', '2 ada']);
			expect(sent).toHaveLength(1);
		});

		it('[outbox] a change outside a decision is a decision of its own; one whose fn throws leaves nothing', async () => {
			const { docs, name, sent, rows, messages } = await setup();
			await docs.change(name, 'ada', push('alone'));
			expect(await rows()).toEqual(['1 ada']);
			expect(sent).toHaveLength(1);
			const half = docs.change(name, 'ada', (d) => {
				d.getArray(ROOT.MESSAGES).push([notice('half')]);
				throw new Error('fn failed midway');
			});
			await expect(half).rejects.toThrow('midway');
			expect(messages()).toEqual(['alone']);
			expect(await rows()).toEqual(['1 ada']);
			expect(sent).toHaveLength(1);
		});

		it('[outbox] the moment between commit and broadcast exists only for a decision that changed documents', async () => {
			const { docs, name, sent } = await setup();
			const moments: number[] = [];
			await docs.decide(async () => undefined, () => moments.push(sent.length)); // e.g. an expiry sweep with nothing due
			await docs.decide(() => docs.change(name, 'ada', push('n')), () => moments.push(sent.length));
			expect(moments).toEqual([0]); // once, and before anything was sent
			expect(sent).toHaveLength(1);
		});

		it('[outbox] sockets are closed by a decision only once it committed, and never by one rolled back', async () => {
			const { docs, name, closed } = await setup();
			const failed = docs.decide(async () => {
				docs.forEachPeer(name, (p) => p.close(4410, 'left'));
				throw new Error('no');
			});
			await expect(failed).rejects.toThrow('no');
			expect(closed).toEqual([]);
			let closedDuring = -1;
			await docs.decide(async () => {
				docs.forEachPeer(name, (p) => p.close(4410, 'left'));
				closedDuring = closed.length;
			});
			expect(closedDuring).toBe(0);
			expect(closed).toEqual([4410]);
		});

		it('[outbox] a decision inside a decision is part of the outer one (the same transaction)', async () => {
			const { docs, name, sent, rows } = await setup();
			await docs.decide(async (outer) => {
				await docs.decide(async (inner) => {
					expect(inner).toBe(outer);
					await docs.change(name, 'ada', push('inner'));
				});
				expect(sent).toHaveLength(0);
			});
			expect(sent).toHaveLength(1);
			expect(await rows()).toEqual(['1 ada']);
		});

		it('[outbox][B5] a taken seq rolls the decision back; it runs again on the document reloaded with what the log has', async () => {
			const { storage, docs, name, live, sent, rows, messages, errors } = await setup();
			await docs.change(name, 'server', push('a'));
			// Another writer (e.g. another instance) took seq 2 behind the registry's back.
			const other = new Y.Doc();
			Y.applyUpdate(other, live.stateAsUpdate());
			let foreign!: Uint8Array;
			other.on('update', (u: Uint8Array) => (foreign = u));
			other.getArray(ROOT.MESSAGES).push([notice('foreign')]);
			await storage.log.append([{ doc: name, seq: 2, update: foreign, actor: 'other', at: NOW, clientIds: [] }]);
			await docs.change(name, 'ada', push('b'));
			expect(messages()).toEqual(['a', 'foreign', 'b']);
			expect(docs.loaded(name)!.seq).toBe(3);
			// The peer got the foreign row (from the reload) and the decision's, once each.
			expect(sent).toHaveLength(3);
			expect(await rows()).toEqual(['1 server', '2 other', '3 ada']);
			expect(errors).toEqual([]);
		});
	});

	describe('while a decision holds a document', () => {
		it('[outbox] sync is answered from the committed state, and client writes wait for its end', async () => {
			const { docs, name, live, sent } = await setup();
			await docs.change(name, 'server', push('before'));
			const committedSv = live.stateVector();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const ran: [number, string][] = [];
			await docs.decide(async () => {
				await docs.change(name, 'ada', push('uncommitted'));
				docs.forEachPeer(name, (p) => (p.mode = 'read')); // e.g. the chat ended
				const fresh = new Y.Doc();
				Y.applyUpdate(fresh, live.stateAsUpdate());
				expect(fresh.getArray<{ id: string }>(ROOT.MESSAGES).toArray().map((m) => m.id)).toEqual(['before']);
				expect(live.stateVector()).toEqual(committedSv);
				expect(live.busy).toBe(true);
				live.afterWrites(() => ran.push([sent.length, pat.peer.mode]));
			});
			expect(ran).toEqual([[2, 'read']]); // after the decision's broadcast and what it did to sockets
			const fresh = new Y.Doc();
			Y.applyUpdate(fresh, live.stateAsUpdate());
			expect(fresh.getArray(ROOT.MESSAGES).length).toBe(2);
		});

		it('[outbox] decisions run one at a time, in the order asked', async () => {
			const { docs, name, rows } = await setup();
			const order: string[] = [];
			let open!: () => void;
			const gate = new Promise<void>((ok) => (open = ok));
			const first = docs.decide(async () => {
				order.push('first starts');
				await docs.change(name, 'ada', push('1'));
				await gate;
				order.push('first ends');
			});
			const second = docs.decide(async () => {
				order.push('second starts');
				await docs.change(name, 'bob', push('2'));
			});
			await tick();
			expect(order).toEqual(['first starts']);
			open();
			await Promise.all([first, second]);
			expect(order).toEqual(['first starts', 'first ends', 'second starts']);
			expect(await rows()).toEqual(['1 ada', '2 bob']);
		});
	});

	describe('client updates and decisions', () => {
		it('[outbox] a client update checked before a decision is stored before it', async () => {
			const { docs, name, live, rows, messages } = await setup();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const u = clientUpdate(name, 'hello', 'pat');
			live.submitClientUpdate(pat.peer, u.update, u.clientIds);
			await docs.decide(() => docs.change(name, 'ada', push('notice')));
			expect(await rows()).toEqual(['1 pat', '2 ada']);
			expect(messages().sort()).toEqual(['hello', 'notice']);
			expect(pat.sent).toHaveLength(1); // the notice; its own update is not echoed
		});

		it('[outbox] one waiting when the decision commits is stored and applied after the decision', async () => {
			const { docs, name, live, sent, rows } = await setup();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			await docs.decide(async () => {
				const u = clientUpdate(name, 'hello', 'pat'); // arrives while the decision runs
				live.submitClientUpdate(pat.peer, u.update, u.clientIds);
				await docs.change(name, 'ada', push('notice'));
			});
			await docs.flush();
			expect(await rows()).toEqual(['1 ada', '2 pat']);
			expect(sent).toHaveLength(2);
			expect(pat.closed).toEqual([]);
		});

		it('[outbox] one waiting when the decision rolls back is refused (1011), not applied to the reloaded state', async () => {
			const { docs, name, live, sent, rows, messages, errors } = await setup();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const failed = docs.decide(async () => {
				const u = clientUpdate(name, 'hello', 'pat');
				live.submitClientUpdate(pat.peer, u.update, u.clientIds);
				await docs.change(name, 'ada', push('lost'));
				throw new Error('no');
			});
			await expect(failed).rejects.toThrow('no');
			await docs.flush();
			expect(pat.closed).toEqual([CLOSE.INTERNAL_ERROR]);
			expect(await rows()).toEqual([]);
			expect(messages()).toEqual([]);
			expect(sent).toEqual([]);
			expect(errors).toHaveLength(1);
		});

		it('[outbox] writes that waited for a decision are checked one by one, in arrival order', async () => {
			const { docs, name, live, rows, messages } = await setup();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const checkedAtSeq: number[] = [];
			await docs.decide(async () => {
				await docs.change(name, 'ada', push('notice'));
				for (const id of ['w1', 'w2', 'w3'])
					live.afterWrites(() => {
						checkedAtSeq.push(live.seq);
						const u = clientUpdate(name, id, 'pat');
						live.submitClientUpdate(pat.peer, u.update, u.clientIds);
					});
			});
			await expect.poll(async () => (await rows()).length).toBe(4);
			expect(checkedAtSeq).toEqual([1, 2, 3]); // each against the state with the one before it
			expect(await rows()).toEqual(['1 ada', '2 pat', '3 pat', '4 pat']);
			expect(messages()).toHaveLength(4);
			expect(live.busy).toBe(false);
		});

		it('[durability] closing stores what waits and leaves a checkpoint', async () => {
			const { storage, docs, name, live } = await setup();
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const u = clientUpdate(name, 'hello', 'pat');
			live.submitClientUpdate(pat.peer, u.update, u.clientIds);
			await docs.closeAll();
			expect((await storage.log.readRange(name)).map((r) => r.actor)).toEqual(['pat']);
			expect((await storage.log.loadCheckpoint(name))?.seq).toBe(1);
			expect((await storage.log.load(name)).clients.get(u.clientIds[0])).toBe('pat');
		});
	});

	describe('loading and checkpoints', () => {
		it('[durability] callers share one load; a failed load is not kept', async () => {
			let failNext = false;
			const { docs } = await setup((s) => {
				const log = Object.create(s.log) as StoragePort['log'];
				log.load = (doc) => (failNext ? ((failNext = false), Promise.reject(new Error('disk'))) : s.log.load(doc));
				const port = Object.create(s) as StoragePort;
				(port as { log: StoragePort['log'] }).log = log;
				return port;
			});
			failNext = true;
			const other = `chat/${randomBytes(6).toString('hex')}`;
			await expect(docs.get(other)).rejects.toThrow('disk');
			const [a, b] = await Promise.all([docs.get(other), docs.get(other)]);
			expect(a).toBe(b);
			expect(docs.loaded(other)).toBe(a);
		});

		it('[durability] a checkpoint is written once enough updates are committed, never inside the decision', async () => {
			const { storage, docs, name, live } = await setup();
			let during: unknown = 'not read';
			await docs.decide(async () => {
				for (let i = 0; i < 500; i++) await docs.change(name, 'ada', push(`n${i}`));
				during = await storage.log.loadCheckpoint(name);
			});
			expect(during).toBeNull();
			await expect.poll(async () => (await storage.log.loadCheckpoint(name))?.seq).toBe(500);
			expect(live.seq).toBe(500);
		});
	});

	describe('counting what is appended (parley_updates_appended_total)', () => {
		it('counts committed rows: a decision once committed, a batch once stored, a rollback never', async () => {
			let counted = 0;
			const metrics = { updatesAppended: (n: number) => void (counted += n), syncRefusal: () => undefined };
			const { docs, name, live } = await setup((s) => new CountingStorage(s, metrics));
			await docs.decide(async () => {
				await docs.change(name, 'ada', push('a'));
				await docs.change(name, 'ada', push('b'));
			});
			expect(counted).toBe(2);
			await expect(docs.decide(() => docs.change(name, 'ada', push('c')).then(() => Promise.reject(new Error('no'))))).rejects.toThrow();
			expect(counted).toBe(2);
			const pat = peer('pat', 'write');
			docs.attach(live, pat.peer);
			const u = clientUpdate(name, 'hello', 'pat');
			live.submitClientUpdate(pat.peer, u.update, u.clientIds);
			await docs.flush();
			expect(counted).toBe(3);
		});
	});
}

describe('[outbox] SQLite', () => {
	const dirs: string[] = [];
	afterAll(() => {
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});
	outboxCases(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'parley-outbox-'));
		dirs.push(dir);
		return new SqliteStorage(openStore(join(dir, 'parley.db')).sqlite, true);
	});
});

describe.skipIf(!TEST_POSTGRES)('[outbox] PostgreSQL', () => {
	const database = migratedDatabaseForSuite();
	outboxCases(() => openPostgresStorage(database().url, { max: 4 }));
});
