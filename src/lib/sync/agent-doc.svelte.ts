import { docNames } from '$lib/core/doc-name';
import * as ROOT from '$lib/core/doc-roots';
import type { AssignedChat, Banner, Offer, SentRequest } from '$lib/core/types';
import type * as Y from 'yjs';
import { LiveDoc } from './live-doc.svelte';

// An agent's own `agent/<id>` document, read-only: offers waiting for an answer (new chats and
// conference requests), the chats the agent is in, the requests it sent, and its banners.
// Everything here is written by the server only.

const byAt = (a: { at: number }, b: { at: number }) => a.at - b.at;

/** Calls `read` with the map's values now and after every change; returns the unsubscribe. */
function watch<T>(map: Y.Map<T>, read: (values: T[]) => void): () => void {
	const onChange = () => read([...map.values()]);
	onChange();
	map.observe(onChange);
	return () => map.unobserve(onChange);
}

export class AgentDoc {
	readonly live: LiveDoc;
	/** Oldest first; the newest offer is the last one. */
	offers = $state.raw<Offer[]>([]);
	/** In the order the agent joined them. */
	chats = $state.raw<AssignedChat[]>([]);
	/** Pending requests this agent sent. */
	requests = $state.raw<SentRequest[]>([]);
	/** Declined / expired / withdrawn / cancelled notes, until dismissed. */
	banners = $state.raw<Banner[]>([]);

	constructor(agentId: string) {
		this.live = new LiveDoc(docNames.agent(agentId), (doc) => {
			const stops = [
				watch(doc.getMap<Offer>(ROOT.OFFERS), (v) => (this.offers = v.sort(byAt))),
				watch(doc.getMap<AssignedChat>(ROOT.CHATS), (v) => (this.chats = v.sort((a, b) => a.joinedAt - b.joinedAt))),
				watch(doc.getMap<SentRequest>(ROOT.REQUESTS), (v) => (this.requests = v.sort(byAt))),
				watch(doc.getMap<Banner>(ROOT.BANNERS), (v) => (this.banners = v.sort(byAt)))
			];
			return () => stops.forEach((stop) => stop());
		});
	}

	destroy() {
		this.live.destroy();
	}
}

/** Opens `agent/<agentId>` (that agent's session cookie authenticates). */
export function connectAgentDoc(agentId: string): AgentDoc {
	return new AgentDoc(agentId);
}
