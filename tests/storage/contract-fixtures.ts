import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import type { LogRow, StoragePort, StoreTx } from '../../server/storage/update-log';

// What the storage contract (./update-log.contract.ts) builds its cases from.

/** How a contract run gets its stores; each adapter's test file supplies one. */
export interface StorageFactory {
	/** A store whose data the test may use: names made with `unique()` are new in it. */
	open(): Promise<StoragePort>;
	/** The same database again, as after a restart (the test has closed the old handle). */
	reopen(old: StoragePort): Promise<StoragePort>;
	/**
	 * A second store on the same database, open at the same time: another server instance.
	 * Absent where a database belongs to one process (SQLite).
	 */
	another?(of: StoragePort): Promise<StoragePort>;
}

/**
 * Opens a store for each test (handed to `use`) and closes it, and every store the test opened
 * with the returned `open`, after the test.
 */
export function storesFor(factory: StorageFactory, use: (store: StoragePort) => void) {
	const opened: StoragePort[] = [];
	const open = async (p: Promise<StoragePort>) => {
		const s = await p;
		opened.push(s);
		return s;
	};
	beforeEach(async () => {
		use(await open(factory.open()));
	});
	afterEach(async () => {
		for (const s of opened.splice(0)) await s.close().catch(() => undefined);
	});
	return open;
}

/** A name no other test (of this run, on this database) uses. */
export function unique(prefix: string): string {
	return `${prefix}/${randomBytes(6).toString('hex')}`;
}

/** A log row; the update is a few recognisable bytes unless given. */
export function row(doc: string, seq: number, extra: Partial<LogRow> = {}): LogRow {
	return {
		doc,
		seq,
		update: new Uint8Array([seq % 256, 1, 2, 3]),
		actor: 'ada',
		at: 1_800_000_000_000 + seq,
		clientIds: [],
		...extra
	};
}

/** The seqs of a document's log, in the order the store returns them. */
export async function seqs(store: StoragePort, doc: string): Promise<number[]> {
	return (await store.log.readRange(doc)).map((e) => e.seq);
}

/** A waiting chat (with the topic and customer it references), for conditional updates. */
export async function insertWaitingChat(tx: StoreTx, chatId: string): Promise<void> {
	const key = chatId.replace(/\W/g, '');
	await tx.run(sql`INSERT INTO topics (id, name, skill, routing) VALUES (${key}, ${key}, 'billing', 'omni')`);
	await tx.run(sql`INSERT INTO customers (id, email, name) VALUES (${key}, ${`${key}@example.test`}, 'Pat')`);
	await tx.run(sql`INSERT INTO chats (id, topic_id, skill, routing, customer_id, customer_name, customer_token_hash, status, created_at)
		VALUES (${chatId}, ${key}, 'billing', 'omni', ${key}, 'Pat', ${key}, 'waiting', ${Date.now()})`);
}

/** The chat's status, read in a transaction of its own. */
export async function chatStatus(store: StoragePort, chatId: string): Promise<string | undefined> {
	const rows = await store.transaction((tx) => tx.all<{ status: string }>(sql`SELECT status FROM chats WHERE id = ${chatId}`));
	return rows[0]?.status;
}

/** Accepting a waiting chat as ARCHITECTURE's conference flow does: the decision and its notice in one commit. */
export async function acceptChat(store: StoragePort, chatId: string, agent: string): Promise<boolean> {
	return store.transaction(async (tx) => {
		const won = await tx.run(sql`UPDATE chats SET status = 'active' WHERE id = ${chatId} AND status = 'waiting'`);
		if (won === 0) return false;
		await tx.log.append([row(`chat/${chatId}`, 1, { actor: agent })]);
		return true;
	});
}
