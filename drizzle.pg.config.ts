import { defineConfig } from 'drizzle-kit';

// PostgreSQL's migrations, beside SQLite's (drizzle.config.ts): `npx drizzle-kit generate --config drizzle.pg.config.ts`.
export default defineConfig({
	dialect: 'postgresql',
	schema: './server/storage/postgres/schema.ts',
	out: './drizzle/pg'
});
