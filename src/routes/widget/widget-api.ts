import type { SignedIdentity } from '$lib/core/widgets';
import type { StartedChat } from '$lib/sync/api';
import { enc, request } from '$lib/sync/request';

// The widget page's own calls (README "Widget"); the rest are the customer page's (chatApi).

export interface WidgetSettings {
	key: string;
	name: string;
	greeting: string;
	colour: string;
	topics: { id: string; name: string }[];
	allowedOrigins: string[];
}

export interface WidgetStart {
	/** The embedding page's origin, as the browser reported it with the loader's message. */
	site: string;
	topic: string;
	name?: string;
	email?: string;
	/** The token of the visitor's earlier chat on this site (T4: proves the same customer). */
	token?: string;
	identity?: SignedIdentity;
}

export const widgetApi = {
	settings: (key: string) => request<{ widget: WidgetSettings }>('GET', `/api/widgets/${enc(key)}`),
	start: (key: string, input: WidgetStart) => request<StartedChat & { signed: boolean }>('POST', `/api/widgets/${enc(key)}/chats`, input)
};
