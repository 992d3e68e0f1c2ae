// SvelteKit's root component for the browser build (vite.config.ts swaps it in). SvelteKit
// generates `root.js` as `asClassComponent(Root)` from `svelte/legacy`, Svelte 4's class API
// (events, exports, `$destroy`, ~1 KB minified on every page), yet its client only does
// `new root({ target, props, hydrate, sync: false, transformError })` and `root.$set(props)`.
// This is that much: the same coarse props (one signal per key, set again by `$set` even for the
// same object, as Svelte 4 did), mounted the same way. `vite dev` and the server keep SvelteKit's.
import { hydrate, mount, type Component } from 'svelte';

type Props = Record<string | symbol, unknown>;

interface RootOptions {
	target: Element;
	props: Props;
	hydrate?: boolean;
	transformError?: (error: unknown) => unknown;
}

/** A prop's version: readers depend on it, `$set` gives it a new number when the prop changes. */
class Version {
	n = $state(0);
}

/** Svelte 4's test, as `svelte/legacy` keeps it: an object or function set again counts as a change. */
const changed = (next: unknown, old: unknown) =>
	next !== next ? old === old : next !== old || (typeof next === 'object' && next !== null) || typeof next === 'function';

let bumps = 0;

export function classRoot(component: Component<Props>) {
	return class {
		$set: (next: Props) => void;

		constructor(options: RootOptions) {
			// Versions are made here and in `$set`, never while a screen reads: Svelte does not let the
			// reaction that creates a state depend on it. A prop read before it exists (`form` until an
			// action returns) depends on `added`, bumped when a prop first appears.
			const versions = new Map<string | symbol, Version>();
			const added = new Version();
			const values: Props = { ...options.props };
			for (const key of Reflect.ownKeys(values)) versions.set(key, new Version());
			const props = new Proxy(values, {
				get: (target, key) => ((versions.get(key) ?? added).n, target[key]),
				set: (target, key, value) => {
					const version = versions.get(key);
					if (!version) {
						versions.set(key, new Version());
						added.n = ++bumps;
					} else if (changed(value, target[key])) version.n = ++bumps;
					target[key] = value;
					return true;
				}
			});
			// No intro transitions on the first render and no flushSync (SvelteKit passes `sync: false`), as with `svelte/legacy`.
			const mounted = { target: options.target, props, intro: false, transformError: options.transformError };
			if (options.hydrate) hydrate(component, mounted);
			else mount(component, mounted);
			this.$set = (next) => void Object.assign(props, next);
		}
	};
}
