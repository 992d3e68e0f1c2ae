import type { DestinationStream } from 'pino';
import type { Config } from './config';
import type { LoginLimits } from './auth/login-limiter';
import type { Bus } from './bus/bus';
import type { MetricsAccess } from './http/ops-routes';
import type { LogLevel } from './ops/log';
import type { AttachmentLimits } from './services/attachments/attachment-limits';
import type { ChatLimits } from './services/chats/chat-limits';
import type { SyncLimits } from './sync/limits';

/** What a program that starts the server sets itself; each option given wins over `config`. */
export interface ServerOptions {
	/** The checked environment (README "Configuration"); read from `process.env` when absent. */
	config?: Config;
	port?: number;
	host?: string;
	dataDir?: string;
	databaseUrl?: string;
	origin?: string | null;
	graceMs?: number;
	/** No log lines (the tests' default); `logLevel` wins over it. */
	silent?: boolean;
	logLevel?: LogLevel;
	/** Where log lines go instead of stdout (tests read them). */
	logDestination?: DestinationStream;
	/**
	 * Fault injection for the crash tests only: `afterDecisionCommit` runs between a decision's
	 * commit and its broadcasts (they make it kill the process there).
	 */
	faults?: { afterDecisionCommit?: () => void };
	/** GET /metrics on or off, open or behind a token (METRICS, METRICS_TOKEN). */
	metrics?: Partial<MetricsAccess>;
	now?: () => number;
	/** The gateway's limits (README "Limits"); tests and benchmarks set their own. */
	syncLimits?: Partial<SyncLimits>;
	/** T3 limits; each value given here wins over the environment, which wins over the default. */
	chatLimits?: Partial<ChatLimits>;
	loginLimits?: Partial<LoginLimits>;
	/** How many reverse proxies' X-Forwarded-For to trust (TRUST_PROXY); 0 = ignore the header. */
	trustProxy?: number;
	/** B9: the largest upload and how long an unreferenced one is kept (ATTACHMENT_*). */
	attachments?: Partial<AttachmentLimits>;
	/** B8: QUEUE_GIVE_UP_SECONDS (as ms), and how often the queue job runs (default 5 s). */
	queue?: { giveUpMs?: number; refreshMs?: number };
	/** B8: SMTP_URL and MAIL_FROM; tests point `smtpUrl` at an smtp-server on port 0. */
	mail?: { smtpUrl?: string | null; from?: string };
	/** B5: Redis for the fan-out between instances (REDIS_URL); null: none, whatever the environment says. */
	redisUrl?: string | null;
	/** B5: the channel prefix on Redis (REDIS_PREFIX); tests give each run its own. */
	redisPrefix?: string;
	/** B5: a bus of the caller's (tests: one in-process bus shared by several servers); wins over `redisUrl`. */
	bus?: Bus;
	/** B5: this instance's name on the bus (default: host, pid and a random part). */
	instance?: string;
	/** B5: how often each loaded document's seq is checked against the log (ms; CHECK_EVERY_MS). */
	clusterCheckMs?: number;
}
