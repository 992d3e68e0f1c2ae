import { loadConfig } from './config';
import { databaseFile, openStore } from './db/client';
import { seedDemo } from './db/seed';
import { createLog } from './ops/log';

// `npm run seed`: (re)creates the demo organisation's missing rows.
const config = loadConfig();
const log = createLog(config.logLevel);
const store = openStore(databaseFile({ DATABASE_URL: config.databaseUrl, DATA_DIR: config.dataDir }));
const { inserted } = await seedDemo(store.db);
log.info({ database: store.file, inserted }, 'demo organisation seeded');
store.close();
