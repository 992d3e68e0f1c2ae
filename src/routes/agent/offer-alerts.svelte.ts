import { untrack } from 'svelte';
import type { Offer } from '$lib/core/types';
import type { AgentDoc } from '$lib/sync/agent-doc.svelte';
import type { Attention } from './attention.svelte';

// A new offer (a chat, a conference or transfer request) alerts once as it arrives. Those
// already waiting when the console loads are on screen, not news. Call inside a component.

function words(offer: Offer): { title: string; body: string } {
	if (offer.kind !== 'conference') return { title: 'New chat', body: `${offer.customerName} · ${offer.topic}` };
	const what = offer.request === 'transfer' ? 'Transfer request' : 'Conference request';
	return { title: what, body: `${offer.requesterName} asks you about ${offer.customerName}` };
}

export function useOfferAlerts(inbox: AgentDoc, attention: Attention) {
	let seen: Set<string> | null = null;
	$effect(() => {
		const offers = inbox.offers;
		if (seen === null && !inbox.live.synced) return;
		const first = seen === null;
		const known: Set<string> = seen ?? new Set();
		seen = known;
		for (const offer of offers) {
			if (known.has(offer.id)) continue;
			known.add(offer.id);
			if (first) continue;
			const { title, body } = words(offer);
			untrack(() => attention.alert(title, body, `offer-${offer.id}`));
		}
	});
}
