import type { Db } from './client';

/**
 * A query built and compiled once per database, then run with placeholders: drizzle otherwise
 * builds the SQL text on every call, which is most of a lookup's cost on the connect path.
 * Per database (a WeakMap), never a module singleton: tests run several servers.
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
	const built = new WeakMap<Db, T>();
	return (db) => {
		let q = built.get(db);
		if (q === undefined) {
			q = build(db);
			built.set(db, q);
		}
		return q;
	};
}
