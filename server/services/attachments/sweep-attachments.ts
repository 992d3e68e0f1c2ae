import { and, eq, isNull, lt } from 'drizzle-orm';
import * as ROOT from '../../../src/lib/core/doc-roots';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Call, Ctx } from '../context';
import { attachmentIdOfKey, thumbKey } from './thumbnail';

/** Most uploads one sweep looks at (the next sweep takes the rest). */
const BATCH = 500;

/**
 * B9: uploads that no message refers to are deleted once older than ATTACHMENT_UNREFERENCED_SECONDS.
 * Whether a message refers to one is read from the chat's documents (the messages and whispers
 * as they stand), so `referenced_at` is set lazily, here; a referenced upload is kept for good.
 * Files in the blob store without a row (a crash between storing and recording) go too, and so
 * does a thumbnail whose image's row is gone.
 */
export async function sweepAttachments({ ctx }: Call<undefined>) {
	const now = ctx.clock();
	const before = now - ctx.config.attachments.unreferencedMs;
	const { db, t } = ctx.store;
	const stale = await db
		.select({ id: t.attachments.id, chatId: t.attachments.chatId })
		.from(t.attachments)
		.where(and(isNull(t.attachments.referencedAt), lt(t.attachments.createdAt, before)))
		.limit(BATCH);
	const byChat = new Map<string, { id: string }[]>();
	for (const r of stale) byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r]);
	let deleted = 0;
	let referenced = 0;
	for (const [chatId, rows] of byChat) {
		const used = await referencedIn(ctx, chatId);
		for (const { id } of rows) {
			if (used.has(id)) {
				await db.update(t.attachments).set({ referencedAt: now }).where(eq(t.attachments.id, id));
				referenced++;
				continue;
			}
			ctx.uploads.remove(chatId, id);
			const gone = await db.delete(t.attachments).where(and(eq(t.attachments.id, id), isNull(t.attachments.referencedAt))).returning({ id: t.attachments.id });
			if (gone.length === 0) continue;
			await ctx.blobs.delete(id);
			await ctx.blobs.delete(thumbKey(id));
			deleted++;
		}
	}
	let orphans = 0;
	for await (const key of ctx.blobs.olderThan(before)) {
		const [row] = await db.select({ id: t.attachments.id }).from(t.attachments).where(eq(t.attachments.id, attachmentIdOfKey(key))).limit(1);
		if (row) continue;
		await ctx.blobs.delete(key);
		orphans++;
	}
	return { deleted, referenced, orphans };
}

/** The attachment ids the chat's messages and whispers carry now. */
async function referencedIn(ctx: Ctx, chatId: string): Promise<Set<string>> {
	const ids = new Set<string>();
	for (const [name, root] of [
		[docNames.chat(chatId), ROOT.MESSAGES],
		[docNames.chatAgents(chatId), ROOT.WHISPERS]
	] as const) {
		const { doc } = await ctx.docs.get(name);
		for (const value of doc.getArray(root).toArray()) {
			const files = (value as { attachments?: unknown } | null)?.attachments;
			if (Array.isArray(files)) for (const id of files) if (typeof id === 'string') ids.add(id);
		}
	}
	return ids;
}
