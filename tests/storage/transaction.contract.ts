import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SeqTakenError, type StoragePort, type StoreTx } from '../../server/storage/update-log';
import { acceptChat, chatStatus, insertWaitingChat, row, seqs, storesFor, unique, type StorageFactory } from './contract-fixtures';

/**
 * The storage contract's transactions: the log and SQL commit together or not at all, and a
 * conditional update has one winner however many try at once (ARCHITECTURE "A conference
 * request, end to end", step 4). Part of ./update-log.contract.ts.
 */
export function transactionContract(factory: StorageFactory) {
	describe('transactions', () => {
		let store: StoragePort;
		const open = storesFor(factory, (s) => (store = s));

		it('[durability] a transaction that throws rolls back whole: its SQL, appends, bindings and checkpoints', async () => {
			const chatId = unique('c');
			const doc = `chat/${chatId}`;
			const boom = new Error('after the writes');
			const failed = store.transaction(async (tx) => {
				await insertWaitingChat(tx, chatId);
				await tx.log.append([row(doc, 1, { clientIds: [5] })]);
				await tx.log.bindClient(doc, 6, 'server');
				await tx.log.saveCheckpoint(doc, 1, new Uint8Array([1]), 1);
				expect(await tx.all(sql`SELECT id FROM chats WHERE id = ${chatId}`)).toEqual([{ id: chatId }]);
				throw boom;
			});
			await expect(failed).rejects.toBe(boom);
			expect(await chatStatus(store, chatId)).toBeUndefined();
			expect(await store.log.load(doc)).toEqual({ checkpoint: null, updates: [], clients: new Map(), lastSeq: 0 });
		});

		it('[durability] a taken seq inside a transaction rolls the decision back with it', async () => {
			const chatId = unique('c');
			await store.log.append([row(`chat/${chatId}`, 1)]);
			await store.transaction((tx) => insertWaitingChat(tx, chatId));
			await expect(acceptChat(store, chatId, 'ada')).rejects.toBeInstanceOf(SeqTakenError);
			expect(await chatStatus(store, chatId)).toBe('waiting');
		});

		it('[durability] a transaction commits what it wrote and returns its result; its tx is dead after', async () => {
			const chatId = unique('c');
			let kept: StoreTx | undefined;
			const result = await store.transaction(async (tx) => {
				kept = tx;
				await insertWaitingChat(tx, chatId);
				return 'done';
			});
			expect(result).toBe('done');
			expect(await chatStatus(store, chatId)).toBe('waiting');
			await expect(kept!.log.append([row(`chat/${chatId}`, 1)])).rejects.toThrow(/ended/);
			await expect(kept!.run(sql`UPDATE chats SET status = 'ended' WHERE id = ${chatId}`)).rejects.toThrow(/ended/);
			expect(await chatStatus(store, chatId)).toBe('waiting');
		});

		it('[durability] a write made beside a transaction that rolls back is kept', async () => {
			const [doc, beside] = [unique('chat'), unique('chat')];
			let release!: () => void;
			const gate = new Promise<void>((r) => (release = r));
			const failing = store.transaction(async (tx) => {
				await tx.log.append([row(doc, 1)]);
				await gate; // open across real I/O, not only microtasks
				throw new Error('rolled back');
			});
			const write = store.log.append([row(beside, 1)]);
			await new Promise((r) => setTimeout(r, 20));
			release();
			await expect(failing).rejects.toThrow('rolled back');
			await write;
			expect(await seqs(store, beside)).toEqual([1]);
			expect(await seqs(store, doc)).toEqual([]);
		});

		it('[C2] 20 accepts at once: exactly one winner, one notice in the log', async () => {
			const chatId = unique('c');
			await store.transaction((tx) => insertWaitingChat(tx, chatId));
			const results = await Promise.all(Array.from({ length: 20 }, (_, i) => acceptChat(store, chatId, `agent${i}`)));
			expect(results.filter(Boolean)).toHaveLength(1);
			expect(await chatStatus(store, chatId)).toBe('active');
			const log = await store.log.readRange(`chat/${chatId}`);
			expect(log.map((e) => e.actor)).toEqual([`agent${results.indexOf(true)}`]);
		});

		it('[B5] two instances on one database: 20 accepts, one winner; racing appends, one row', async (ctx) => {
			if (!factory.another) return ctx.skip();
			const other = await open(factory.another(store));
			const chatId = unique('c');
			await store.transaction((tx) => insertWaitingChat(tx, chatId));
			const results = await Promise.all(
				Array.from({ length: 20 }, (_, i) => acceptChat(i % 2 ? other : store, chatId, `agent${i}`))
			);
			expect(results.filter(Boolean)).toHaveLength(1);
			const doc = unique('chat');
			const settled = await Promise.allSettled([store, other, store, other].map((s, i) => s.log.append([row(doc, 1, { actor: `w${i}` })])));
			expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
			expect(await other.log.lastSeq(doc)).toBe(1);
		});
	});
}
