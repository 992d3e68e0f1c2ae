import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../services/context';
import { getWidgetSettings } from '../services/widgets/get-widget-settings';

const PAGE = /^\/widget\/([^/?#]{1,64})\/?(?:[?#]|$)/;

/**
 * B7: the widget page (`/widget/<key>`) may be framed by the widget's allowed sites, and only
 * there: its Content-Security-Policy's `frame-ancestors 'none'` (every other answer keeps it,
 * security-policy.js) becomes that widget's exact origins, whoever sets the header (SvelteKit sets
 * the page's own with its nonce). An unknown key keeps 'none'. Resolves once `res` is prepared.
 */
export async function allowWidgetFraming(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const key = req.url?.match(PAGE)?.[1];
	if (!key) return;
	let origins: string[];
	try {
		origins = (await getWidgetSettings({ ctx, input: { key: decodeURIComponent(key) } })).widget.allowedOrigins;
	} catch {
		return; // no such widget (or a malformed escape): not frameable
	}
	// Checked exact origins (checkOrigin): no spaces, quotes or semicolons can reach the header.
	const ancestors = `frame-ancestors ${origins.join(' ')}`;
	const rewrite = (value: string) => value.replace(/frame-ancestors [^;]*/, ancestors);
	const setHeader = res.setHeader.bind(res);
	res.setHeader = (name: string, value: number | string | readonly string[]) =>
		setHeader(name, name.toLowerCase() === 'content-security-policy' && typeof value === 'string' ? rewrite(value) : value);
	const current = res.getHeader('content-security-policy');
	if (typeof current === 'string') setHeader('Content-Security-Policy', rewrite(current));
}
