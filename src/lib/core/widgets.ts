// B7: the rules of an embeddable widget that need no I/O — which sites may embed it (exact
// origins), its colour, and what the loader and the widget page say to each other.

/** The most sites one widget may be embedded on. */
export const MAX_WIDGET_ORIGINS = 20;
/** The launcher's colour when none is set. */
export const DEFAULT_WIDGET_COLOUR = '#2563eb';

/**
 * An exact origin (`https://shop.example`, `http://localhost:8080`) as the browser writes it in
 * `Origin` and `event.origin`: scheme http or https, a host, an optional port, nothing else (no
 * path, query, user, wildcard or trailing slash). Answers the origin, or why it is not one.
 */
export function checkOrigin(raw: string): { ok: true; value: string } | { ok: false; message: string } {
	const refuse = (message: string) => ({ ok: false as const, message });
	if (!/^https?:\/\/[^/?#@\s*]+$/i.test(raw)) return refuse(`"${raw.slice(0, 80)}" is not an exact origin like https://shop.example or http://localhost:8080`);
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return refuse(`"${raw.slice(0, 80)}" is not a valid origin`);
	}
	// What the browser would send for this site: lower-case host, default port dropped.
	if (url.origin !== raw) return refuse(`"${raw.slice(0, 80)}" must be written as the browser sends it: ${url.origin}`);
	return { ok: true, value: url.origin };
}

/** A colour the launcher and the panel may use: #rgb or #rrggbb (nothing that could be CSS code). */
export const isWidgetColour = (value: string): boolean => /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value);

/** Whether `origin` (as the browser reported it) is one of the widget's sites, exactly. */
export const originAllowedFor = (allowed: readonly string[], origin: string | null | undefined): boolean =>
	!!origin && allowed.includes(origin);

/**
 * The messages between the loader (host page) and the widget page (iframe), `type`-tagged; each
 * side posts only to the other's exact origin (the iframe's first `ready` carries nothing private).
 */
export type WidgetToFrame =
	| { type: 'parley:init'; token: string | null; identity: SignedIdentity | null; open: boolean }
	| { type: 'parley:visible'; open: boolean }
	| { type: 'parley:identify'; identity: SignedIdentity | null };

export type FrameToWidget =
	| { type: 'parley:ready' }
	| { type: 'parley:token'; token: string | null }
	| { type: 'parley:unread'; count: number }
	| { type: 'parley:close' }
	| { type: 'parley:event'; event: 'chat:started' | 'chat:ended'; chatId: string };

/** A visitor's identity as the embedding site signed it: signature = hex HMAC-SHA256(email, secret). */
export interface SignedIdentity {
	email: string;
	name: string;
	signature: string;
}
