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
 * The visitor's newest chat, as the loader keeps it in the host page's localStorage (keyed by
 * widget key). `anew`: the visitor asked for a new chat after it ended and has not started one
 * yet, so a reload shows the start form (the token still proves the next chat, T4). `ended`: no
 * more messages can come, so the loader need not load the frame before a click. `seen`: how many
 * of the others' messages the visitor had in front of them (the unread badge counts the rest).
 */
export interface WidgetChat {
	id: string;
	token: string;
	anew?: boolean;
	ended?: boolean;
	seen?: number;
}

/**
 * The messages between the loader (host page) and the widget page (iframe), `type`-tagged. Each
 * side posts only to the other's exact origin and reads only messages from the other's window
 * and origin (the loader: Parley's origin; the iframe: one of the widget's allowed origins).
 */
export type WidgetToFrame =
	| { type: 'parley:init'; chat: WidgetChat | null; identity: SignedIdentity | null; open: boolean }
	| { type: 'parley:visible'; open: boolean }
	| { type: 'parley:identify'; identity: SignedIdentity | null };

export type FrameToWidget =
	| { type: 'parley:ready' }
	| { type: 'parley:chat'; chat: WidgetChat | null }
	| { type: 'parley:unread'; count: number }
	| { type: 'parley:close' }
	| { type: 'parley:event'; event: 'chat:started' | 'chat:ended'; chatId: string };

/** What the loader may hand over: shapes checked, since the host page's scripts could send anything. */
export function parseToFrame(data: unknown): WidgetToFrame | null {
	if (!data || typeof data !== 'object') return null;
	const d = data as Record<string, unknown>;
	if (d.type === 'parley:visible') return { type: d.type, open: d.open === true };
	if (d.type === 'parley:identify') return { type: d.type, identity: parseIdentity(d.identity) };
	if (d.type === 'parley:init')
		return { type: d.type, chat: parseChat(d.chat), identity: parseIdentity(d.identity), open: d.open === true };
	return null;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function parseChat(v: unknown): WidgetChat | null {
	const c = v as Record<string, unknown> | null;
	if (!c || !str(c.id, 64) || !str(c.token, 256)) return null;
	const chat: WidgetChat = { id: c.id, token: c.token };
	if (c.anew === true) chat.anew = true;
	if (c.ended === true) chat.ended = true;
	if (Number.isSafeInteger(c.seen) && (c.seen as number) >= 0) chat.seen = c.seen as number;
	return chat;
}

function parseIdentity(v: unknown): SignedIdentity | null {
	const i = v as Record<string, unknown> | null;
	return i && str(i.email, 254) && str(i.name, 200) && str(i.signature, 200) ? { email: i.email, name: i.name, signature: i.signature } : null;
}

/** A visitor's identity as the embedding site signed it: signature = hex HMAC-SHA256(email, secret). */
export interface SignedIdentity {
	email: string;
	name: string;
	signature: string;
}
