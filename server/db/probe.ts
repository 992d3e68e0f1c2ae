import { sql } from 'drizzle-orm';
import type { Facts } from '../storage/facts';

/** One part of GET /api/health: what it is, and a cheap check that throws when it does not answer. */
export interface HealthProbe {
	kind: string;
	check(): void | Promise<void>;
}

/** The store answers when a real table can be read (a closed file or a lost connection throws). */
export function storeProbe(store: Facts): HealthProbe {
	return {
		kind: store.dialect,
		check: async () => {
			await store.all(sql`SELECT 1 FROM users LIMIT 1`);
		}
	};
}
