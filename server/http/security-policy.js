// The browser security policy of every answer, built in this one place: svelte.config.js hands
// PAGE_DIRECTIVES to SvelteKit (`kit.csp`, which adds a nonce for its own inline scripts to each
// page), and the server sends the rest with every other answer (server/http/security-headers.ts).
// Plain JavaScript because svelte.config.js is read by Node without TypeScript.

/**
 * Who may show Parley's pages in a frame: nobody. The embeddable widget opens this for the sites
 * allowed to embed it; this is the one list to change.
 */
export const FRAME_ANCESTORS = ['none'];

/**
 * The app pages (SvelteKit's CSP syntax: keywords without quotes). Scripts only from our origin
 * plus SvelteKit's nonce'd bootstrap; style sheets only from our origin (no injected <style>, the
 * tool of CSS attacks that read a page through selectors), `style` attributes allowed (Svelte
 * writes them: sizes, colours); no plugins, no <base>; forms and connections (fetch, the /sync
 * WebSocket) to our origin only.
 * @type {Record<string, string[]>}
 */
export const PAGE_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self'],
	'style-src-attr': ['unsafe-inline'],
	'img-src': ['self', 'data:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'form-action': ['self'],
	'frame-ancestors': FRAME_ANCESTORS
};

/** Everything that is not an app page (API answers, errors, files): it may load nothing at all. */
export const OTHER_DIRECTIVES = {
	'default-src': ['none'],
	'frame-ancestors': FRAME_ANCESTORS
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'unsafe-hashes', 'report-sample']);

/**
 * A Content-Security-Policy header value, quoting keywords as SvelteKit does.
 * @param {Record<string, string[]>} directives
 */
export function policyHeader(directives) {
	return Object.entries(directives)
		.map(([name, values]) => [name, ...values.map((v) => (KEYWORDS.has(v) ? `'${v}'` : v))].join(' '))
		.join('; ');
}

/** Sent with every answer, pages and API alike. */
export const COMMON_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	// Our URLs (a chat's address) never leave the site; same-origin requests keep theirs, which
	// also keeps the Origin header on our own POSTs that the CSRF check reads.
	'Referrer-Policy': 'same-origin'
};
