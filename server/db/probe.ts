import { sql } from 'drizzle-orm';
import type { Db } from './client';

/** One part of GET /api/health: what it is, and a cheap check that throws when it does not answer. */
export interface HealthProbe {
	kind: string;
	check(): void | Promise<void>;
}

/** The store answers when a real table can be read (a closed or unreadable file throws). */
export function storeProbe(db: Db): HealthProbe {
	return { kind: 'sqlite', check: () => void db.get(sql`SELECT 1 FROM users LIMIT 1`) };
}
