import { loadConfig } from './config';
import { databaseFile, openStore } from './db/client';
import { seedDemo } from './db/seed';

// `npm run seed`: (re)creates the demo organisation's missing rows.
const config = loadConfig();
const store = openStore(databaseFile({ DATABASE_URL: config.databaseUrl, DATA_DIR: config.dataDir }));
const { inserted } = await seedDemo(store.db);
console.log(`Seeded ${store.file}: ${inserted} demo users added.`);
store.close();
