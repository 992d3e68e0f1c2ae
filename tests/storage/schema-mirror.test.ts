import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as sqlite from '../../server/db/schema';
import * as pg from '../../server/storage/postgres/schema';

// The PostgreSQL schema mirrors SQLite's (issue 12: one database, two dialects): the same tables,
// columns, keys, indexes and references under the same names. A column added to one only fails
// here before it fails on a server.

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

function tables(schema: Record<string, unknown>) {
	return new Map(Object.values(schema).filter((t) => is(t, Table)).map((t) => [getTableName(t as Table), t]));
}

/** What must match, as plain data; types are compared as their kind (see `kind`). */
function shape(c: Config) {
	return {
		columns: c.columns.map((col) => ({
			name: col.name,
			kind: kind(col.getSQLType()),
			notNull: col.notNull,
			primary: col.primary,
			default: col.default,
			unique: col.isUnique ? col.uniqueName : null,
			enum: col.enumValues ?? null
		})),
		primaryKeys: c.primaryKeys.map((k) => k.columns.map((col) => col.name)),
		indexes: c.indexes
			.map((i) => ({
				name: i.config.name,
				unique: i.config.unique,
				columns: i.config.columns.map((col) => (col as { name: string }).name)
			}))
			.sort((a, b) => a.name!.localeCompare(b.name!)),
		references: c.foreignKeys
			.map((fk) => {
				const r = fk.reference();
				return `${r.columns.map((x) => x.name)} → ${getTableName(r.foreignTable)}(${r.foreignColumns.map((x) => x.name)})`;
			})
			.sort()
	};
}

/** Integers (any width, and SQLite's booleans), text (and SQLite's JSON text), bytes. */
function kind(sqlType: string): string {
	if (/^(integer|bigint|boolean)$/.test(sqlType)) return 'number';
	if (/^(text|jsonb)$/.test(sqlType)) return 'text';
	if (/^(blob|bytea)$/.test(sqlType)) return 'bytes';
	return sqlType;
}

describe('PostgreSQL schema mirrors SQLite schema', () => {
	const lite = tables(sqlite);
	const post = tables(pg);

	it('[B5] has the same tables', () => {
		expect([...post.keys()].sort()).toEqual([...lite.keys()].sort());
	});

	for (const name of lite.keys())
		it(`[B5] ${name}: same columns, keys, indexes and references`, () => {
			const l = shape(sqliteConfig(lite.get(name) as SQLiteTable));
			const p = shape(pgConfig(post.get(name) as PgTable));
			expect(p).toEqual(l);
		});

	it('[B5] flags are boolean, JSON is jsonb, times and seqs are bigint in PostgreSQL', () => {
		const type = (t: string, c: string) =>
			pgConfig(post.get(t) as PgTable).columns.find((col) => col.name === c)!.getSQLType();
		expect(type('chat_configurations', 'conference_enabled')).toBe('boolean');
		expect(type('users', 'permissions')).toBe('jsonb');
		expect(type('doc_updates', 'seq')).toBe('bigint');
		expect(type('doc_clients', 'client_id')).toBe('bigint');
		expect(type('chats', 'created_at')).toBe('bigint');
	});
});
