import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'vite';
import { configDefaults, defineConfig, type Plugin, type TestProjectInlineConfiguration } from 'vitest/config';

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
 * lib0/environment computes, when it loads, whether this is a production run, whether the
 * terminal supports colour and whether this is a Mac: for that it parses the page's query string
 * and reads local storage (the browser half of a command-line parser). Nothing in the browser
 * build reads these values, but the bundler cannot tell the calls are pure, so the parser shipped
 * with Yjs. Their initialisers, found in the syntax tree, are marked pure: still computed where
 * something reads them, dropped where nothing does (0.4 KB gzip'd).
 */
function lib0PureEnvironment(): Plugin {
	const unread = ['isMac', 'production', 'forceColor', 'supportsColor'];
	return {
		name: 'parley:lib0-pure-environment',
		apply: 'build',
		transform: {
			filter: { id: /[\\/]lib0[\\/]environment\.js$/ },
			handler(code) {
				const edits = pureInitialisers(code, unread);
				if (typeof edits === 'string') this.error(`parley:lib0-pure-environment: ${edits}`);
				return { code: applyEdits(code, edits), map: null };
			}
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
 * SvelteKit wraps the root component in `svelte/legacy`'s `asClassComponent` (Svelte 4's class
 * API: events, exports, `$destroy`) for a client that only constructs it and calls `$set`. The
 * browser build gets src/lib/ui/kit-root.svelte.ts instead, which does just that: 0.35 KB
 * gzip'd less in the chunk every page loads for 0.25 KB more in the app (0.1 KB net). If
 * SvelteKit's root.js ever reads differently the build stops, so a new version is looked at
 * rather than replaced blindly.
 */
function kitRoot(): Plugin {
	const root = fileURLToPath(new URL('./src/lib/ui/kit-root.svelte.ts', import.meta.url));
	const stock = "import { asClassComponent } from 'svelte/legacy';\nimport Root from './root.svelte';\nexport default asClassComponent(Root);";
	return {
		name: 'parley:kit-root',
		apply: 'build',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		transform: {
			filter: { id: /[\\/]\.svelte-kit[\\/]generated[\\/]root\.js$/ },
			handler(code) {
				if (code.trim() !== stock) this.error('SvelteKit\'s generated root.js changed: check that parley:kit-root still fits it');
				return { code: `import Root from './root.svelte';\nimport { classRoot } from ${JSON.stringify(root)};\nexport default classRoot(Root);`, map: null };
			}
		}
	};
}

/**
 * SvelteKit's client reads Svelte through `import * as svelte` (`svelte.tick`, `svelte.settled?.()`,
 * `const { onMount, tick } = svelte`, written to work with older Svelte versions), and the bundler
 * keeps such a namespace whole: all of Svelte's public API (createEventDispatcher,
 * createRawSnippet, hydratable, fork, …) shipped in the chunk every page loads. Named imports of
 * the few it uses let the rest go (0.9 KB gzip'd). Found in the syntax tree, not by text; any
 * other use of the namespace, or a name Svelte does not export, fails the build.
 */
function kitNamedSvelteImports(): Plugin {
	return {
		name: 'parley:kit-named-svelte-imports',
		apply: 'build',
		applyToEnvironment: (environment) => environment.config.consumer === 'client',
		transform: {
			filter: { id: /[\\/]@sveltejs[\\/]kit[\\/]src[\\/]runtime[\\/]client[\\/]client\.js$/ },
			handler(code) {
				const edits = namespaceEdits(code, 'svelte');
				if (typeof edits === 'string') this.error(`parley:kit-named-svelte-imports: ${edits}`);
				return { code: applyEdits(code, edits), map: null };
			}
		}
	};
}

type Edit = [start: number, end: number, text: string];
interface Node {
	type: string;
	start: number;
	end: number;
	[key: string]: unknown;
}

/**
 * The edits that turn `import * as ns from 'ns'` into named imports (`ns_name`), with `ns.name`
 * and `const { a, b } = ns` rewritten to use them; or why not (any other use of `ns`).
 */
function namespaceEdits(code: string, ns: string): Edit[] | string {
	const names = new Set<string>();
	const edits: Edit[] = [];
	let star: Node | undefined;
	let problem = '';
	const isNs = (n: unknown) => (n as Node | null)?.type === 'Identifier' && (n as Node).name === ns;
	const visit = (node: Node) => {
		if (node.type === 'ImportDeclaration' && (node.source as Node).value === ns) {
			const specifiers = node.specifiers as Node[];
			if (specifiers.length === 1 && specifiers[0].type === 'ImportNamespaceSpecifier' && isNs(specifiers[0].local)) star = node;
			else problem ||= `an import of '${ns}' that is not \`* as ${ns}\``;
			return;
		}
		if (node.type === 'MemberExpression' && isNs(node.object) && !node.computed) {
			const name = (node.property as Node).name as string;
			names.add(name);
			edits.push([node.start, node.end, `${ns}_${name}`]);
			return;
		}
		if (node.type === 'VariableDeclarator' && isNs(node.init) && (node.id as Node).type === 'ObjectPattern') {
			const parts: string[] = [];
			for (const p of (node.id as Node).properties as Node[]) {
				const key = p.key as Node;
				const value = p.value as Node;
				if (p.type !== 'Property' || p.computed || key.type !== 'Identifier' || value.type !== 'Identifier') problem ||= `a destructuring of ${ns} other than \`{ name, … }\``;
				names.add(key.name as string);
				parts.push(`${value.name} = ${ns}_${key.name}`);
			}
			edits.push([node.start, node.end, parts.join(', ')]);
			return;
		}
		if (isNs(node)) problem ||= `a use of ${ns} at ${node.start} that is not \`${ns}.name\``;
		for (const [key, value] of Object.entries(node)) {
			// Names that are not references: `x.svelte`, `{ svelte: 1 }`.
			if ((key === 'property' && node.type === 'MemberExpression' && !node.computed) || (key === 'key' && node.type === 'Property' && !node.computed)) continue;
			for (const child of Array.isArray(value) ? value : [value]) if (child && typeof (child as Node).type === 'string') visit(child as Node);
		}
	};
	visit(parseAst(code) as unknown as Node);
	if (!star) return `no \`import * as ${ns} from '${ns}'\``;
	if (problem) return problem;
	edits.push([star.start, star.end, `import { ${[...names].map((n) => `${n} as ${ns}_${n}`).join(', ')} } from '${ns}';`]);
	return edits;
}

/** The top-level `const`s `names`, each initialiser wrapped in a pure call; or which is missing. */
function pureInitialisers(code: string, names: readonly string[]): Edit[] | string {
	const edits: Edit[] = [];
	for (let statement of (parseAst(code) as unknown as { body: Node[] }).body) {
		if (statement.type === 'ExportNamedDeclaration' && statement.declaration) statement = statement.declaration as Node;
		if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
		for (const d of statement.declarations as Node[]) {
			const init = d.init as Node | null;
			if (!init || !names.includes((d.id as Node).name as string)) continue;
			edits.push([init.start, init.start, '/* @__PURE__ */ (() => ('], [init.end, init.end, '))()']);
		}
	}
	return edits.length === names.length * 2 ? edits : `not all of ${names.join(', ')} found as top-level constants`;
}

/** `code` with the edits made (from the end, so earlier offsets stay right). */
function applyEdits(code: string, edits: Edit[]): string {
	let out = code;
	for (const [start, end, text] of [...edits].sort((a, b) => b[0] - a[0] || b[1] - a[1])) out = out.slice(0, start) + text + out.slice(end);
	return out;
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
									// Vite's preload helper too: the app's entry and the customer page's
									// lazily loaded parts (B8) share it, and alone it would be one more file.
									{ name: 'framework', test: (id) => (framework.test(id) && !/[\\/]components[\\/]/.test(id)) || id === '\0vite/preload-helper.js' },
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

/** Every test: the pure core's beside its files, and tests/ (unit, storage, integration, security, e2e). */
const ALL_TESTS = ['src/**/*.test.ts', 'tests/**/*.test.ts'];

/**
 * The PostgreSQL server the `postgres` project and the PostgreSQL storage suites use
 * (tests/helpers/postgres.ts): a base URL whose user may create databases.
 */
const TEST_POSTGRES = process.env.PARLEY_TEST_POSTGRES || undefined;

/** Everything, with the test servers on SQLite files (the default run). */
const sqliteProject: TestProjectInlineConfiguration = {
	extends: true,
	test: { name: 'sqlite', include: ALL_TESTS, env: { PARLEY_TEST_STORE: 'sqlite' } }
};

/**
 * The suites that start a test server (tests/helpers/server.ts), again with each server on a
 * PostgreSQL database of its own (PARLEY_TEST_STORE=postgres). Not here:
 * - SQLite by nature: chaos.test.ts SIGKILLs a child server on a SQLite DATA_DIR and reads its
 *   file; live-doc-sleep.test.ts drives live documents on temporary SQLite files, with no server.
 *   outbox.test.ts runs its PostgreSQL cases itself (when PARLEY_TEST_POSTGRES is set).
 * - No store at all, or none but a temporary SQLite file: config-start.test.ts (a child that
 *   refuses its configuration before it opens a store), limits.test.ts (the sync limits alone),
 *   audit-replay-property.test.ts (A2's replay arithmetic; the log it reads is the storage
 *   contract's, run on PostgreSQL by tests/storage/postgres.test.ts).
 * - Time (CI has 2 cores): fuzz.test.ts (~1 min of gateway cases whose only store work is the
 *   log append every suite here does; `PARLEY_TEST_STORE=postgres npm run fuzz` runs it on
 *   PostgreSQL), sign-in-limits.test.ts (~1 min of scrypt against an in-memory limiter) and
 *   security-headers.test.ts (headers set before any store is asked).
 */
const postgresProject: TestProjectInlineConfiguration = {
	extends: true,
	test: {
		name: 'postgres',
		// The browser journeys too with PARLEY_TEST_POSTGRES_E2E=1 (not in CI: minutes for what
		// the integration suites already cover on PostgreSQL).
		include: [
			'tests/integration/**/*.test.ts',
			'tests/security/**/*.test.ts',
			// The README's promises hold on either store (tests/contract: clients written from it).
			'tests/contract/**/*.test.ts',
			...(process.env.PARLEY_TEST_POSTGRES_E2E === '1' ? ['tests/e2e/**/*.test.ts'] : [])
		],
		exclude: [
			...configDefaults.exclude,
			'tests/security/chaos.test.ts',
			'tests/integration/outbox.test.ts',
			'tests/integration/live-doc-sleep.test.ts',
			'tests/integration/config-start.test.ts',
			'tests/security/limits.test.ts',
			'tests/integration/audit-replay-property.test.ts',
			'tests/security/fuzz.test.ts',
			'tests/security/sign-in-limits.test.ts',
			'tests/security/security-headers.test.ts'
		],
		env: { PARLEY_TEST_STORE: 'postgres' }
	}
};

// Said once per run (vitest reads this file more than once), and only by vitest, not by a build.
const NOTED = Symbol.for('parley.postgres-project-noted');
if (!TEST_POSTGRES && process.env.VITEST && !(globalThis as Record<symbol, boolean>)[NOTED]) {
	(globalThis as Record<symbol, boolean>)[NOTED] = true;
	console.info(
		'PostgreSQL project skipped: PARLEY_TEST_POSTGRES is not set, so the server suites run on SQLite only. To run them on ' +
			'PostgreSQL too, point it at a server whose user may create databases, e.g. ' +
			'PARLEY_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres'
	);
}

export default defineConfig({
	plugins: [lib0PureDomSchemas(), lib0PureEnvironment(), lib0PlainLogging(), kitRoot(), kitNamedSvelteImports(), clientChunks(), sveltekit()],
	// Imported constants become their values everywhere (rolldown's default inlines them only in
	// conditions): the shared contracts (src/lib/core/close-codes.ts, doc-roots.ts) then cost the
	// browser nothing.
	build: { rolldownOptions: { optimization: { inlineConst: true } } },
	test: {
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration and e2e suites each start real servers; keep them from starving the 2 cores
		// (the limit is the whole run's, both projects together).
		maxWorkers: 2,
		// The built app (build/) is loaded by the test servers as it is, with Node's own import:
		// transformed, its server-rendered `*.svelte.js` chunks would be compiled again by the
		// Svelte plugin and break.
		server: { deps: { external: [/[\\/]build[\\/]/] } },
		// With PARLEY_TEST_POSTGRES, the suites that start a test server run a second time on
		// PostgreSQL (vitest's `postgres` project). Each project names its own files: an include
		// inherited from here would be added to the project's, not replaced by it.
		...(TEST_POSTGRES ? { projects: [sqliteProject, postgresProject] } : { include: ALL_TESTS })
	}
});
