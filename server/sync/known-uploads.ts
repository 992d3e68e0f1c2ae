import type { UploadRef } from '../../src/lib/core/attachments';

/**
 * B9: the uploads of each chat the write policy may need, in memory (the policy is synchronous).
 * The upload route adds each new one; a lookup that misses is answered from the table
 * (`refresh`), so a restart, another instance's upload or an evicted chat cost one read. Bounded:
 * the chats used least recently are forgotten first.
 */
export class KnownUploads {
	private readonly byChat = new Map<string, Map<string, UploadRef>>();

	constructor(
		/** The chat's uploads as the table has them. */
		private readonly load: (chatId: string) => Promise<readonly UploadRef[]>,
		private readonly maxChats = 10_000
	) {}

	add(upload: UploadRef) {
		this.chat(upload.chatId).set(upload.id, upload);
	}

	remove(chatId: string, id: string) {
		this.byChat.get(chatId)?.delete(id);
	}

	lookup(chatId: string, id: string): UploadRef | undefined {
		return this.byChat.get(chatId)?.get(id);
	}

	/** Reads the chat's uploads from the table again (after a lookup missed). */
	async refresh(chatId: string): Promise<void> {
		const rows = await this.load(chatId);
		const known = this.chat(chatId);
		for (const row of rows) known.set(row.id, row);
	}

	private chat(chatId: string): Map<string, UploadRef> {
		let known = this.byChat.get(chatId);
		if (known) this.byChat.delete(chatId); // most recently used last
		else known = new Map();
		this.byChat.set(chatId, known);
		if (this.byChat.size > this.maxChats) this.byChat.delete(this.byChat.keys().next().value!);
		return known;
	}
}
