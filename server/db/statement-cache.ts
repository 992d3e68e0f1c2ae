import type Database from 'better-sqlite3';

/**
 * drizzle prepares every query it runs (better-sqlite3 compiles the SQL each time): keep the last
 * `max` compiled statements by SQL text and hand them out again. Only plain `prepare(sql)` calls
 * are cached (better-sqlite3's own internal calls pass more arguments and are left alone), and a
 * reused statement is put back in its default (object rows) mode, which drizzle switches per call.
 */
export function cacheStatements(sqlite: Database.Database, max = 512) {
	const prepare = sqlite.prepare;
	const cache = new Map<string, Database.Statement>();
	sqlite.prepare = function (this: Database.Database, source: string, ...rest: unknown[]) {
		if (rest.length > 0 || typeof source !== 'string') return (prepare as (...a: unknown[]) => Database.Statement).call(this, source, ...rest);
		let statement = cache.get(source);
		if (statement) {
			cache.delete(source); // most recently used last
			cache.set(source, statement);
			if (statement.reader) statement.raw(false);
			return statement;
		}
		statement = prepare.call(this, source);
		cache.set(source, statement);
		if (cache.size > max) cache.delete(cache.keys().next().value!);
		return statement;
	} as typeof sqlite.prepare;
}
