import { untrack } from 'svelte';
import type { Banner } from '$lib/core/types';
import type { AgentDoc } from '$lib/sync/agent-doc.svelte';
import { api } from '$lib/sync/api';

// Banners belong to their chat (issue 16): the open chat shows its own above the log; one that
// arrives for another chat becomes a toast naming that chat (and a badge in the list, see
// noticeCounts). Banners already there when the document first synced are old news: badge only.
// Call inside a component (it sets up an effect).

/** "Chat with Pat: Grace declined your conference request." */
export function bannerText(b: Banner, name: string | undefined): string {
	return `${name ? `Chat with ${name}` : 'A chat you left'}: ${b.text}`;
}

export function useBannerNotices(
	inbox: AgentDoc,
	/** Is the agent looking at this chat (its banner then shows there, no toast)? */
	inView: (chatId: string) => boolean,
	nameOf: (chatId: string) => string | undefined,
	onnew: (banner: Banner, text: string) => void
) {
	let seen: Set<string> | null = null;
	$effect(() => {
		const banners = inbox.banners;
		if (!inbox.live.synced && seen === null) return;
		const first = seen === null;
		const known: Set<string> = seen ?? new Set();
		seen = known;
		for (const b of banners) {
			if (known.has(b.id)) continue;
			known.add(b.id);
			// A rating has its own toast (ratings.svelte.ts); one toast per event.
			if (b.kind === 'rated') continue;
			if (!first && !untrack(() => inView(b.chatId))) untrack(() => onnew(b, bannerText(b, nameOf(b.chatId))));
		}
	});
}

/** How many banners wait in each chat (the list's badge). */
export function noticeCounts(banners: readonly Banner[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const b of banners) if (b.kind !== 'rated') counts.set(b.chatId, (counts.get(b.chatId) ?? 0) + 1);
	return counts;
}

/**
 * Banners the agent dismissed here: hidden at once, and the server forgets them too, so they stay
 * gone (a failure only brings one back). Used wherever banners show: in their chat, in the sidebar.
 */
export class Dismissals {
	#hidden = $state<string[]>([]);

	visible(banners: readonly Banner[]): Banner[] {
		return banners.filter((b) => !this.#hidden.includes(b.id));
	}

	dismiss(id: string) {
		this.#hidden = [...this.#hidden, id];
		api.dismissBanner(id).catch(() => (this.#hidden = this.#hidden.filter((x) => x !== id)));
	}
}
