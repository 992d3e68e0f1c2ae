import { readMessage } from '../../../src/lib/core/display-message';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { Ctx } from '../context';

// Issue 16: an offer card shows what the customer last said, so the colleague knows what they
// are joining. Stored items are read as the log reads them (T2): unreadable ones are skipped.

const PREVIEW_MAX = 200;

export async function lastCustomerMessage(ctx: Ctx, chatId: string): Promise<{ text: string; at: number } | null> {
	const { doc } = await ctx.docs.get(docNames.chat(chatId));
	const items = doc.getArray(ROOT.MESSAGES).toArray();
	for (let i = items.length - 1; i >= 0; i--) {
		const m = readMessage(items[i], '');
		if (m.kind !== 'text' || m.author.role !== 'customer') continue;
		const chars = [...m.text];
		const text = chars.length > PREVIEW_MAX ? `${chars.slice(0, PREVIEW_MAX - 1).join('')}…` : m.text;
		return { text, at: m.at ?? 0 };
	}
	return null;
}
