import { z } from 'zod';
import type { LoginLimits } from './auth/login-limiter';
import type { ChatLimits } from './services/chats/chat-limits';
import type { AttachmentLimits } from './services/attachments/attachment-limits';
import { SETTINGS, type SettingName, type SettingValues } from './config-settings';

type Env = Record<string, string | undefined>;

/**
 * The environment, read and checked once (README "Configuration"): the only place in the server
 * that reads `process.env`. `startServer` takes the result and lets its own options win.
 */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/** A PostgreSQL URL (postgres://…), or a SQLite file path or `file:` URL; wins over `dataDir`. */
	databaseUrl: string | undefined;
	/** B5: Redis for the fan-out between instances (none: one instance, in-process). */
	redisUrl: string | undefined;
	/** Put before every channel name on Redis (deployments sharing a Redis never cross). */
	redisPrefix: string;
	/** B5: seconds between SIGTERM (readiness 503) and closing the sockets, for the balancer to notice. */
	drainSeconds: number;
	/** The one accepted browser origin (scheme, host, port); null = the request's own host. */
	origin: string | null;
	/** null: follow `origin` (Secure cookies when it is https). */
	secureCookies: boolean | null;
	sessionLifetimeMs: number;
	docGraceMs: number;
	trustProxy: number;
	sourceKeySecret: string | undefined;
	chatLimits: ChatLimits;
	loginLimits: LoginLimits;
	/** B9: the largest file (bytes), and how long an upload no message refers to is kept (ms). */
	attachments: AttachmentLimits;
	/** B8: ms without an agent after which a waiting customer may leave a message. */
	queueGiveUpMs: number;
	/** B8: email to customers; null url = no email is sent. */
	mail: { smtpUrl: string | null; from: string };
	logLevel: SettingValues['LOG_LEVEL'];
	/** GET /metrics: off (404), or on — for anyone, or only with `Authorization: Bearer <token>`. */
	metrics: { on: boolean; token: string | null };
}

/** A bad value: the message names every bad variable and what it must be. */
export class ConfigError extends Error {
	constructor(readonly problems: readonly string[]) {
		super(`bad configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
	}
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads and checks every setting; throws a ConfigError naming all the bad ones at once. */
export function loadConfig(env: Env = process.env): Config {
	const problems: string[] = [];
	const values = {} as Record<SettingName, unknown>;
	for (const name of Object.keys(SETTINGS) as SettingName[]) {
		const parsed = readSetting(name, env[name]);
		if (parsed.ok) values[name] = parsed.value;
		else problems.push(parsed.problem);
	}
	const v = values as SettingValues;
	if (problems.length === 0 && v.METRICS_TOKEN !== undefined && !v.METRICS)
		problems.push('METRICS_TOKEN: set, but METRICS is off; set METRICS=on to serve /metrics with this token, or remove it');
	if (problems.length > 0) throw new ConfigError(problems);
	return {
		port: v.PORT,
		host: v.HOST,
		dataDir: v.DATA_DIR,
		databaseUrl: v.DATABASE_URL,
		redisUrl: v.REDIS_URL,
		redisPrefix: v.REDIS_PREFIX,
		drainSeconds: v.DRAIN_SECONDS,
		origin: v.ORIGIN ?? null,
		secureCookies: v.SECURE_COOKIES ?? null,
		sessionLifetimeMs: v.SESSION_DAYS * DAY_MS,
		docGraceMs: v.DOC_GRACE_MS,
		trustProxy: v.TRUST_PROXY,
		sourceKeySecret: v.SOURCE_KEY_SECRET,
		chatLimits: {
			perAddress: v.CHATS_PER_ADDRESS,
			perEmail: v.CHATS_PER_EMAIL,
			windowMs: v.CHATS_WINDOW_SECONDS * 1000,
			globalPerMinute: v.CHATS_PER_MINUTE,
			waitingPerAddress: v.WAITING_CHATS_PER_ADDRESS
		},
		loginLimits: {
			failuresPerAddressAndEmail: v.LOGIN_FAILURES_PER_ADDRESS_AND_EMAIL,
			failuresPerAddress: v.LOGIN_FAILURES_PER_ADDRESS,
			windowMs: v.LOGIN_WINDOW_SECONDS * 1000
		},
		attachments: { maxBytes: v.ATTACHMENT_MAX_BYTES, unreferencedMs: v.ATTACHMENT_UNREFERENCED_SECONDS * 1000 },
		queueGiveUpMs: v.QUEUE_GIVE_UP_SECONDS * 1000,
		mail: { smtpUrl: v.SMTP_URL ?? null, from: v.MAIL_FROM },
		logLevel: v.LOG_LEVEL,
		metrics: { on: v.METRICS, token: v.METRICS_TOKEN ?? null }
	};
}

type Read = { ok: true; value: unknown } | { ok: false; problem: string };

/** One variable: blank counts as unset (its fallback applies); a bad value is named, a secret never repeated. */
function readSetting(name: SettingName, raw: string | undefined): Read {
	const setting = SETTINGS[name];
	const given = raw?.trim() ? raw.trim() : undefined;
	const text = given ?? setting.fallback;
	if (text === undefined) return { ok: true, value: undefined };
	const parsed = (setting.schema as z.ZodType<unknown, z.ZodTypeDef, string>).safeParse(text);
	if (parsed.success) return { ok: true, value: parsed.data };
	const shown = setting.secret ? `a value of ${text.length} characters` : JSON.stringify(text);
	return { ok: false, problem: `${name}: must be ${setting.must}; got ${shown}` };
}
