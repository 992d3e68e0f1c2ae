import { untrack } from 'svelte';
import { api } from '$lib/sync/api';
import type { AgentDoc } from '$lib/sync/agent-doc.svelte';

// B8: a customer rated a chat I was in (it has left my list by then): the server leaves a `rated`
// banner in my document; the console says it once and clears it. Call inside a component.

export function useRatings(inbox: AgentDoc, say: (text: string) => void) {
	const seen = new Set<string>();
	$effect(() => {
		for (const b of inbox.banners) {
			if (b.kind !== 'rated' || seen.has(b.id)) continue;
			seen.add(b.id);
			untrack(() => say(b.text));
			api.dismissBanner(b.id).catch(() => seen.delete(b.id));
		}
	});
}
