// The customer page's JavaScript as the browser loads it (issue 7: ≤ 60 KB gzip'd), from the last
// `vite build`: the client entry, the app, the root layout and the /chat page, with every chunk
// they import statically (lazy imports excluded), each gzip'd at level 9. Prints one JSON line
// and the largest chunks (what dominates). `npx tsx bench/compare-bundle.ts [route]`.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.svelte-kit/output/client');
const MANIFEST = join(OUT, '.vite/manifest.json');
const GENERATED = '.svelte-kit/generated/client-optimized/';

interface Chunk {
	file: string;
	src?: string;
	name?: string;
	isEntry?: boolean;
	imports?: string[];
}

export interface BundleReport {
	bundle: string;
	route: string;
	files: number;
	rawKB: number;
	gzipKB: number;
	goalKB: number;
	met: boolean;
	largest: { chunk: string; source: string; contains: string[]; gzipKB: number }[];
}

/** What a minified chunk holds, recognised by strings each library keeps in its output. */
const SIGNATURES: [string, RegExp][] = [
	['yjs', /Unexpected content type|integrateStructs|Unexpected case/],
	['y-websocket', /BroadcastChannel|messageReconnectTimeout|wsconnecting/],
	['lib0', /lib0|Unexpected end of array/],
	['svelte runtime', /effect_update_depth_exceeded|hydration_mismatch/],
	['sveltekit client', /__sveltekit|sveltekit:/]
];

export function customerBundle(route = '/chat', goalKB = 60): BundleReport | { bundle: string; error: string } {
	if (!existsSync(MANIFEST)) return { bundle: `customer page ${route}`, error: 'no build: run `npx vite build` first' };
	const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Chunk>;
	const pageFile = `src/routes${route === '/' ? '' : route}/+page.svelte`;
	const roots: string[] = [];
	for (const [key, chunk] of Object.entries(manifest)) {
		if (!chunk.isEntry) continue;
		if (!key.startsWith(GENERATED + 'nodes/')) {
			roots.push(key); // the kit's client entry and the app
			continue;
		}
		const source = existsSync(join(ROOT, key)) ? readFileSync(join(ROOT, key), 'utf8') : '';
		// The root layout (node 0) and the route's page node (layouts of the route too).
		const layoutDir = route.split('/').filter(Boolean);
		const layouts = ['src/routes/+layout', ...layoutDir.map((_, i) => `src/routes/${layoutDir.slice(0, i + 1).join('/')}/+layout`)];
		if (source.includes(pageFile) || layouts.some((l) => source.includes(`${l}.svelte`) || source.includes(`${l}.ts`))) roots.push(key);
	}
	const seen = new Set<string>();
	const walk = (key: string) => {
		if (seen.has(key) || !manifest[key]) return;
		seen.add(key);
		for (const i of manifest[key].imports ?? []) walk(i);
	};
	roots.forEach(walk);
	const rows = [...seen].map((key) => {
		const bytes = readFileSync(join(OUT, manifest[key].file));
		const text = bytes.toString('utf8');
		const contains = SIGNATURES.filter(([, re]) => re.test(text)).map(([name]) => name);
		const source = manifest[key].src ?? key;
		if (source.includes('/nodes/')) contains.push('route code');
		return { chunk: manifest[key].file.split('/').pop()!, source, contains, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
	});
	rows.sort((a, b) => b.gzip - a.gzip);
	const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
	const gzip = rows.reduce((s, r) => s + r.gzip, 0);
	return {
		bundle: `customer page ${route}`,
		route,
		files: rows.length,
		rawKB: kb(rows.reduce((s, r) => s + r.raw, 0)),
		gzipKB: kb(gzip),
		goalKB,
		met: gzip <= goalKB * 1024,
		largest: rows.slice(0, 6).map((r) => ({ chunk: r.chunk, source: r.source, contains: r.contains, gzipKB: kb(r.gzip) }))
	};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	process.stdout.write(JSON.stringify(customerBundle(process.argv[2] ?? '/chat')) + '\n');
}
