import { loadConfig } from './config';
import { seedDemo } from './db/seed';
import { createLog } from './ops/log';
import { openStorage } from './storage/open';

// `npm run seed`: (re)creates the demo organisation's missing rows, on SQLite or PostgreSQL.
const config = loadConfig();
const log = createLog(config.logLevel);
const opened = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const { inserted } = await seedDemo(opened.port.facts, opened.port.log);
log.info({ database: opened.where, inserted }, 'demo organisation seeded');
await opened.port.close();
