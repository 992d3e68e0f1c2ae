import type { AgentDoc } from '$lib/sync/agent-doc.svelte';
import { useAnnouncements } from './announce.svelte';
import { Attention, inView } from './attention.svelte';
import { useBannerNotices } from './banner-notices.svelte';
import { useOfferAlerts } from './offer-alerts.svelte';
import type { OpenChats } from './open-chats.svelte';
import { Toasts } from './toasts.svelte';

// Everything in the console that tells the agent about something not in view (issue 16): the
// screen reader's announcements, the beep and desktop notification, and the toasts for banners
// of other chats. Call inside a component (it sets up effects).

export function useConsoleAlerts(inbox: AgentDoc, open: OpenChats, selfId: string, selected: () => string | null) {
	const toasts = new Toasts();
	const attention = new Attention(selfId);
	$effect(() => () => (toasts.destroy(), attention.destroy()));

	/** Every chat's customer, also after it left my list: toasts and banners name their chat. */
	const names = new Map<string, string>();
	$effect(() => {
		for (const c of inbox.chats) names.set(c.chatId, c.customerName);
	});

	const announcement = useAnnouncements(() => open.docs, () => inbox.chats, () => selfId, (chatId, name, text) => {
		if (!inView(chatId, selected())) attention.alert(`Message from ${name}`, text, `message-${chatId}`);
	});
	useOfferAlerts(inbox, attention);
	useBannerNotices(inbox, (chatId) => inView(chatId, selected()), (id) => names.get(id), (b, text) => {
		toasts.push(text, 'warn', inbox.chats.some((c) => c.chatId === b.chatId) ? b.chatId : undefined);
		attention.alert(b.kind === 'declined' ? 'Request declined' : 'Request ended', text, `banner-${b.id}`);
	});
	// What the agent opens has been told: its toasts go.
	$effect(() => {
		const id = selected();
		if (id) toasts.dismissChat(id);
	});

	return { toasts, attention, announcement, nameOf: (chatId: string) => names.get(chatId) };
}

/** Offers and unread messages in the tab title, so a glance at the tab bar is enough. */
export function pageTitle(offers: number, unread: number): string {
	if (!offers && !unread) return 'Agent console · Parley';
	return `(${offers + unread}) ${offers ? 'New chat' : 'New messages'} · Parley`;
}
