import { databaseFile, openStore } from './db/client';
import { seedDemo } from './db/seed';

// `npm run seed`: (re)creates the demo organisation's missing rows.
const store = openStore(databaseFile(process.env));
const { inserted } = await seedDemo(store.db);
console.log(`Seeded ${store.file}: ${inserted} demo users added.`);
store.close();
