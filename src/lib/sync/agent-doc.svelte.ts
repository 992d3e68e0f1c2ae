import { docNames } from '$lib/core/doc-name';
import * as ROOT from '$lib/core/doc-roots';
import type { AgentConfig, AssignedChat, Banner, Offer, SentRequest } from '$lib/core/types';
import type * as Y from 'yjs';
import { LiveDoc } from './live-doc.svelte';

// An agent's own `agent/<id>` document, read-only: offers waiting for an answer (new chats and
// conference requests), the chats the agent is in, the requests it sent, its banners, and its
// chat configuration as an admin last changed it.
// Everything here is written by the server only.

const byAt = (a: { at: number }, b: { at: number }) => a.at - b.at;

/** Calls `read` with the map's values now and after every change; returns the unsubscribe. */
function watch<T>(map: Y.Map<T>, read: (values: T[]) => void): () => void {
	const onChange = () => read([...map.values()]);
	onChange();
	map.observe(onChange);
	return () => map.unobserve(onChange);
}

/** The `config` map as one value, or null while the server has not written it. */
function watchConfig(map: Y.Map<unknown>, read: (config: AgentConfig | null) => void): () => void {
	const onChange = () => {
		const v = map.toJSON() as Partial<AgentConfig>;
		read(typeof v.conferenceEnabled === 'boolean' ? (v as AgentConfig) : null);
	};
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
	/** My chat configuration as the server last wrote it (issue 16); null until the first change. */
	config = $state.raw<AgentConfig | null>(null);

	constructor(agentId: string) {
		this.live = new LiveDoc(docNames.agent(agentId), (doc) => {
			const stops = [
				watch(doc.getMap<Offer>(ROOT.OFFERS), (v) => (this.offers = v.sort(byAt))),
				watch(doc.getMap<AssignedChat>(ROOT.CHATS), (v) => (this.chats = v.sort((a, b) => a.joinedAt - b.joinedAt))),
				watch(doc.getMap<SentRequest>(ROOT.REQUESTS), (v) => (this.requests = v.sort(byAt))),
				watch(doc.getMap<Banner>(ROOT.BANNERS), (v) => (this.banners = v.sort(byAt))),
				watchConfig(doc.getMap(ROOT.CONFIG), (c) => (this.config = c))
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
