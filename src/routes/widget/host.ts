import { originAllowedFor, parseToFrame, type FrameToWidget, type WidgetToFrame } from '$lib/core/widgets';

/**
 * The widget page's side of the conversation with the loader on the embedding page. Only messages
 * from the parent window and from one of the widget's allowed origins are read (the browser sets
 * `event.origin`, so a page that is not allowed cannot speak for one that is); everything is sent
 * to that one exact origin, learned from the loader's first message.
 */
export class HostBridge {
	/** The embedding page's origin, once its loader said hello. */
	site: string | null = null;
	#allowed: readonly string[];
	#onmessage: (m: WidgetToFrame) => void;

	constructor(allowed: readonly string[], onmessage: (m: WidgetToFrame) => void) {
		this.#allowed = allowed;
		this.#onmessage = onmessage;
		window.addEventListener('message', this.#receive);
		// Who embeds us is not proven yet: "ready" (nothing private) goes to the parent's origin as
		// the browser names it (ancestorOrigins, else the referrer), or where it names none to each
		// allowed origin; the browser delivers it only where the parent's origin is that one.
		const parent = location.ancestorOrigins?.[0] ?? originOf(document.referrer);
		const targets = parent ? allowed.filter((o) => o === parent) : allowed;
		for (const origin of targets) this.#post({ type: 'parley:ready' }, origin);
	}

	#receive = (event: MessageEvent) => {
		if (event.source !== window.parent || window.parent === window) return;
		if (!originAllowedFor(this.#allowed, event.origin)) return;
		if (this.site && event.origin !== this.site) return;
		const message = parseToFrame(event.data);
		if (!message) return;
		this.site = event.origin;
		this.#onmessage(message);
	};

	send(message: FrameToWidget) {
		if (this.site) this.#post(message, this.site);
	}

	#post(message: FrameToWidget, origin: string) {
		if (window.parent !== window) window.parent.postMessage(message, origin);
	}

	destroy() {
		window.removeEventListener('message', this.#receive);
	}
}

function originOf(url: string): string | null {
	try {
		return url ? new URL(url).origin : null;
	} catch {
		return null;
	}
}
