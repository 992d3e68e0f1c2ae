import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { eventually } from './server';

/** A real y-websocket client (no BroadcastChannel), authenticated with `?token=`. */
export function connectDoc(baseUrl: string, docName: string, token: string | undefined, doc = new Y.Doc()) {
	const closes: { code: number; reason: string }[] = [];
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', docName, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: token ? { token } : {}
	});
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) closes.push({ code: event.code, reason: event.reason });
	});
	return {
		doc,
		provider,
		closes,
		messages: () => doc.getArray<any>('messages').toArray(),
		synced: () => eventually(() => {
			if (!provider.synced) throw new Error(`${docName} not synced`);
		}),
		closedWith: (code: number) =>
			eventually(() => {
				if (!closes.some((c) => c.code === code)) throw new Error(`no close ${code} yet: ${JSON.stringify(closes)}`);
			}),
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}
