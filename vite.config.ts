import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

// The browser build is tuned for the customer page's JavaScript budget (issue 7: /chat ≤ 60 KB
// gzip'd, `npx tsx bench/compare-bundle.ts`). Each plugin below says what it saves.

/**
 * lib0/dom builds four schema constants when it loads (`$.$custom(...)`). Nothing reads them,
 * but the bundler cannot tell the calls are pure, so they kept lib0's whole schema module
 * (2.2 KB gzip'd) in every page that syncs a document. Marked pure, they go.
 */
function lib0PureDomSchemas(): Plugin {
	return {
		name: 'parley:lib0-pure-dom-schemas',
		apply: 'build',
		transform: {
			filter: { id: /[\\/]lib0[\\/]dom\.js$/ },
			handler: (code) => ({ code: code.replaceAll('= $.$custom(', '= /* @__PURE__ */ $.$custom('), map: null })
		}
	};
}

/**
 * yjs prints two rare warnings through lib0/logging, whose browser half styles them with CSS and
 * brings lib0/dom and more for it (0.5 KB gzip'd). The browser build gets the same calls on the
 * plain console (src/lib/sync/lib0-logging.ts); `vite dev`, the server build and the tests keep
 * lib0's.
 */
function lib0PlainLogging(): Plugin {
	const plain = fileURLToPath(new URL('./src/lib/sync/lib0-logging.ts', import.meta.url));
	return {
		name: 'parley:lib0-plain-logging',
		enforce: 'pre',
		apply: 'build',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		resolveId: (id) => (id === 'lib0/logging' ? plain : undefined)
	};
}

/**
 * The browser's chunks: Svelte's runtime, SvelteKit's client and the logo in one file, since
 * every page loads them (0.4 KB less than three files), and the small modules the customer page
 * shares with the staff pages in one file instead of four (0.2 KB less). The server build keeps
 * its chunks.
 */
function clientChunks(): Plugin {
	const framework = /node_modules[\\/](svelte|@sveltejs[\\/]kit|clsx|esm-env|devalue)[\\/]|src[\\/]lib[\\/]ui[\\/]Logo\.svelte$/;
	const shared = /src[\\/]lib[\\/](core[\\/](display-message|text|doc-name)\.ts|sync[\\/](request|chat-api|server-clock)\.ts|ui[\\/](initials\.ts|Avatar\.svelte|time\.ts|clock\.svelte\.ts))$/;
	return {
		name: 'parley:client-chunks',
		apply: 'build',
		configEnvironment(name) {
			if (name !== 'client') return;
			return {
				build: {
					rolldownOptions: {
						output: {
							codeSplitting: {
								groups: [
									// Not SvelteKit's error page: it loads only on an error.
									{ name: 'framework', test: (id) => framework.test(id) && !/[\\/]components[\\/]/.test(id) },
									{ name: 'shared', test: shared }
								]
							}
						}
					}
				}
			};
		}
	};
}

export default defineConfig({
	plugins: [lib0PureDomSchemas(), lib0PlainLogging(), clientChunks(), sveltekit()],
	// Imported constants become their values everywhere (rolldown's default inlines them only in
	// conditions): the shared contracts (src/lib/core/close-codes.ts, doc-roots.ts) then cost the
	// browser nothing, and the customer page 0.1 KB less.
	build: { rolldownOptions: { optimization: { inlineConst: true } } },
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration and e2e suites each start real servers; keep them from starving the 2 cores.
		maxWorkers: 2,
		// The built app (build/) is loaded by the test servers as it is, with Node's own import:
		// transformed, its server-rendered `*.svelte.js` chunks would be compiled again by the
		// Svelte plugin and break.
		server: { deps: { external: [/[\\/]build[\\/]/] } }
	}
});
