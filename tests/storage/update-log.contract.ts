import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeqTakenError, type StoragePort } from '../../server/storage/update-log';
import { row, seqs, storesFor, unique, type StorageFactory } from './contract-fixtures';
import { transactionContract } from './transaction.contract';

/**
 * The storage contract: what every adapter of the update-log port promises (after tldraw's
 * storageContractSuite): the log here, transactions in ./transaction.contract.ts. Run by
 * tests/storage/sqlite.test.ts and tests/storage/postgres.test.ts.
 */
export function updateLogContract(factory: StorageFactory) {
	describe('update log', () => {
		let store: StoragePort;
		const open = storesFor(factory, (s) => (store = s));

		describe('reads and appends', () => {
			it('[A1] a document nobody wrote loads empty', async () => {
				const doc = unique('chat');
				expect(await store.log.load(doc)).toEqual({ checkpoint: null, updates: [], clients: new Map(), lastSeq: 0 });
				expect(await store.log.lastSeq(doc)).toBe(0);
				expect(await store.log.readRange(doc)).toEqual([]);
				expect(await store.log.loadCheckpoint(doc)).toBeNull();
			});

			it('[A1] updates come back in seq order, with who and when, whatever order they were appended in', async () => {
				const doc = unique('chat');
				await store.log.append([row(doc, 3, { actor: 'bob', at: 30 })]);
				await store.log.append([row(doc, 1, { at: 10 }), row(doc, 2, { actor: 'customer', at: 20 })]);
				const entries = await store.log.readRange(doc);
				expect(entries.map(({ seq, actor, at }) => ({ seq, actor, at }))).toEqual([
					{ seq: 1, actor: 'ada', at: 10 },
					{ seq: 2, actor: 'customer', at: 20 },
					{ seq: 3, actor: 'bob', at: 30 }
				]);
				expect(entries[1].update).toEqual(new Uint8Array([2, 1, 2, 3]));
				const loaded = await store.log.load(doc);
				expect(loaded.updates.map((u) => [u.seq, u.at])).toEqual([[1, 10], [2, 20], [3, 30]]);
				expect(loaded.lastSeq).toBe(3);
				expect(await store.log.lastSeq(doc)).toBe(3);
			});

			it('[A1] appends not awaited one by one all land', async () => {
				const doc = unique('chat');
				await Promise.all([1, 2, 3, 4, 5].map((seq) => store.log.append([row(doc, seq)])));
				expect(await seqs(store, doc)).toEqual([1, 2, 3, 4, 5]);
			});

			it('[A1] a range is (after, upTo], at most `limit`, of that document only', async () => {
				const doc = unique('chat');
				await store.log.append(Array.from({ length: 10 }, (_, i) => row(doc, i + 1)));
				await store.log.append([row(`${doc}x`, 5)]); // a name that starts like it
				expect(await seqs(store, doc)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
				const part = await store.log.readRange(doc, { after: 3, upTo: 7 });
				expect(part.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
				expect(part[0]).toEqual({ seq: 4, update: new Uint8Array([4, 1, 2, 3]), actor: 'ada', at: 1_800_000_000_004 });
				expect((await store.log.readRange(doc, { after: 3, limit: 2 })).map((e) => e.seq)).toEqual([4, 5]);
				expect((await store.log.readRange(doc, { upTo: 2 })).map((e) => e.seq)).toEqual([1, 2]);
				expect(await store.log.readRange(doc, { after: 10 })).toEqual([]);
			});

			it('[A1] a 1 MiB update and checkpoint come back byte for byte', async () => {
				const doc = unique('chat');
				const update = new Uint8Array(randomBytes(1024 * 1024 + 7));
				const state = new Uint8Array(randomBytes(1024 * 1024));
				await store.log.append([row(doc, 1, { update })]);
				await store.log.saveCheckpoint(doc, 1, state, 5);
				const [entry] = await store.log.readRange(doc);
				expect(entry.update).toBeInstanceOf(Uint8Array);
				expect(Buffer.compare(Buffer.from(entry.update), Buffer.from(update))).toBe(0);
				const cp = await store.log.loadCheckpoint(doc);
				expect(cp?.state.byteLength).toBe(state.byteLength);
				expect(Buffer.compare(Buffer.from(cp!.state), Buffer.from(state))).toBe(0);
			});
		});

		describe('batches are all or none', () => {
			it('[durability] a batch over several documents is stored whole', async () => {
				const [a, b] = [unique('chat'), unique('agent')];
				await store.log.append([row(a, 1), row(b, 1), row(a, 2, { clientIds: [11] })]);
				expect(await seqs(store, a)).toEqual([1, 2]);
				expect(await seqs(store, b)).toEqual([1]);
				expect((await store.log.load(a)).clients).toEqual(new Map([[11, 'ada']]));
			});

			it('[durability] a seq named twice in one batch stores nothing of it, bindings included', async () => {
				const [a, b] = [unique('chat'), unique('agent')];
				const batch = [row(a, 1, { clientIds: [21] }), row(b, 1), row(a, 1, { update: new Uint8Array([9]) })];
				await expect(store.log.append(batch)).rejects.toBeInstanceOf(SeqTakenError);
				expect(await store.log.load(a)).toEqual({ checkpoint: null, updates: [], clients: new Map(), lastSeq: 0 });
				expect(await seqs(store, b)).toEqual([]);
			});

			it('[durability] a seq taken already fails the whole batch and names the row', async () => {
				const [a, b] = [unique('chat'), unique('agent')];
				await store.log.append([row(a, 1)]);
				const err = await store.log.append([row(b, 1), row(a, 2), row(a, 1, { actor: 'mallory' })]).catch((e) => e);
				expect(err).toBeInstanceOf(SeqTakenError);
				expect(err).toMatchObject({ code: 'SEQ_TAKEN', doc: a, seq: 1 });
				expect(await seqs(store, a)).toEqual([1]);
				expect(await seqs(store, b)).toEqual([]);
				expect((await store.log.readRange(a))[0].actor).toBe('ada');
			});

			it('[durability] a batch of 2,500 rows is stored whole, or not at all', async () => {
				const doc = unique('chat');
				const rows = Array.from({ length: 2500 }, (_, i) => row(doc, i + 1));
				await expect(store.log.append([...rows, row(doc, 1)])).rejects.toBeInstanceOf(SeqTakenError);
				expect(await store.log.lastSeq(doc)).toBe(0);
				await store.log.append(rows);
				expect(await seqs(store, doc)).toEqual(rows.map((r) => r.seq));
			});

			it('[durability] of writers racing for one (doc, seq), exactly one wins', async () => {
				const doc = unique('chat');
				const writers = Array.from({ length: 8 }, (_, i) => row(doc, 1, { actor: `w${i}`, update: new Uint8Array([i]) }));
				const results = await Promise.allSettled(writers.map((r) => store.log.append([r])));
				const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
				expect(won).toHaveLength(1);
				for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SeqTakenError);
				const entries = await store.log.readRange(doc);
				expect(entries.map((e) => [e.actor, [...e.update]])).toEqual([[`w${won[0]}`, [won[0]]]]);
			});
		});

		describe('checkpoints and clientIDs', () => {
			it('[A1] load is the latest checkpoint plus the updates after it', async () => {
				const doc = unique('chat');
				await store.log.append(Array.from({ length: 6 }, (_, i) => row(doc, i + 1)));
				await store.log.saveCheckpoint(doc, 4, new Uint8Array([4, 4]), 40);
				await store.log.saveCheckpoint(doc, 2, new Uint8Array([2, 2]), 20); // saved later, older
				const loaded = await store.log.load(doc);
				expect(loaded.checkpoint).toEqual({ seq: 4, state: new Uint8Array([4, 4]) });
				expect(loaded.updates.map((u) => u.seq)).toEqual([5, 6]);
				expect(loaded.lastSeq).toBe(6);
				expect(await store.log.loadCheckpoint(doc, 3)).toEqual({ seq: 2, state: new Uint8Array([2, 2]), at: 20 });
				expect(await store.log.loadCheckpoint(doc, 1)).toBeNull();
				// The log itself is untouched by checkpoints (A1: never rewritten).
				expect(await seqs(store, doc)).toEqual([1, 2, 3, 4, 5, 6]);
			});

			it('[A1] a checkpoint at the last seq loads with no tail; saved again at that seq, it is replaced', async () => {
				const doc = unique('chat');
				await store.log.append([row(doc, 1), row(doc, 2)]);
				await store.log.saveCheckpoint(doc, 2, new Uint8Array([1]), 1);
				await store.log.saveCheckpoint(doc, 2, new Uint8Array([2]), 2);
				expect(await store.log.load(doc)).toEqual({
					checkpoint: { seq: 2, state: new Uint8Array([2]) },
					updates: [],
					clients: new Map(),
					lastSeq: 2
				});
			});

			it('[A1] clientID owners survive a restart; the first binding of a clientID keeps it', async () => {
				const doc = unique('chat');
				const big = 2 ** 32 - 1; // Yjs clientIDs are 32-bit unsigned
				await store.log.append([row(doc, 1, { clientIds: [1, big] }), row(doc, 2, { actor: 'bob', clientIds: [1, 2] })]);
				await store.log.bindClient(doc, 3, 'server');
				await store.log.bindClient(doc, 3, 'mallory');
				await store.close();
				const again = await open(factory.reopen(store));
				const loaded = await again.log.load(doc);
				expect(loaded.clients).toEqual(new Map([[1, 'ada'], [big, 'ada'], [2, 'bob'], [3, 'server']]));
				expect(await again.log.readClients(doc)).toEqual(loaded.clients);
				expect(loaded.lastSeq).toBe(2);
			});
		});
	});

	transactionContract(factory);
}
