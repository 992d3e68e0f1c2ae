import type { Facts } from '../storage/facts';

/**
 * A query built and compiled once per store, then run with placeholders: drizzle otherwise
 * builds the SQL text on every call, which is most of a lookup's cost on the connect path.
 * Keyed by the store's query builder (a WeakMap), never a module singleton: tests run several
 * servers, and on PostgreSQL a transaction has a builder of its own, whose statements run in it.
 */
export function preparedFor<T>(build: (store: Facts) => T): (store: Facts) => T {
	const built = new WeakMap<object, T>();
	return (store) => {
		let q = built.get(store.db);
		if (q === undefined) {
			q = build(store);
			built.set(store.db, q);
		}
		return q;
	};
}
