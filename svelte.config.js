import adapter from '@sveltejs/adapter-node';
import { PAGE_DIRECTIVES } from './server/http/security-policy.js';

/** @type {import('@sveltejs/kit').Config} */
export default {
	compilerOptions: {
		// Every component of ours in runes mode: a page without runes would compile in legacy mode
		// and pull Svelte's legacy runtime into the chunk every page loads (the customer's too).
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
		// No `window.__svelte` version marker in the browser build.
		discloseVersion: false
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		// Routes are resolved by the server, so the browser does not ship the table of every route
		// (the customer page's budget, issue 7). /chat is server-rendered, so its first load needs no
		// extra round trip; staff pages ask the server once when they load.
		router: { resolution: 'server' },
		// The pages' Content-Security-Policy (server/http/security-policy.js): SvelteKit sends it as
		// a header with a fresh nonce for its own inline script on every page it renders.
		csp: { mode: 'auto', directives: PAGE_DIRECTIVES }
	}
};
