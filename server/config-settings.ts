import { z } from 'zod';
import { DEFAULT_LOGIN_LIMITS } from './auth/login-limiter';
import { DEFAULT_CHAT_LIMITS } from './services/chats/chat-limits';

/**
 * Every environment variable the server reads, in the order of README "Configuration" (a unit
 * test holds the two together: names, and each `fallback` against the table's default).
 */
interface Setting<T> {
	/** The text used when the variable is unset or blank, as the README shows it; none = no default. */
	fallback: string | undefined;
	/** What a value must be: the message that stops the start says it. */
	must: string;
	/** Never repeated in a message (a terminal, a log, a CI page). */
	secret: boolean;
	schema: z.ZodType<T, z.ZodTypeDef, string>;
}

const withDefault = <T>(fallback: string, must: string, schema: z.ZodType<T, z.ZodTypeDef, string>) =>
	({ fallback, must, secret: false, schema }) satisfies Setting<T>;
const optional = <T>(must: string, schema: z.ZodType<T, z.ZodTypeDef, string>, secret = false) =>
	({ fallback: undefined, must, secret, schema }) satisfies Setting<T>;

const whole = (min: number, max = Number.MAX_SAFE_INTEGER) =>
	z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
const atLeastOne = () => whole(1);
const AT_LEAST_ONE = 'a whole number of at least 1';
const trueOrFalse = z.string().toLowerCase().pipe(z.enum(['true', 'false'])).transform((v) => v === 'true');
const onOrOff = z.string().toLowerCase().pipe(z.enum(['on', 'off'])).transform((v) => v === 'on');
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An origin as browsers send it: scheme, host and port only (a trailing slash is forgiven). */
const origin = z.string().transform((raw, ctx) => {
	let url: URL | null = null;
	try {
		url = new URL(raw);
	} catch {
		/* reported below */
	}
	const plain = url && /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
	if (!url || !plain) {
		ctx.addIssue({ code: z.ZodIssueCode.custom });
		return z.NEVER;
	}
	return url.origin;
});

/** 0, off, false or no: no proxy is trusted; otherwise how many stand in front. */
const proxies = z
	.string()
	.toLowerCase()
	.transform((v) => (['off', 'false', 'no'].includes(v) ? '0' : v))
	.pipe(whole(0, 100));

export const SETTINGS = {
	PORT: withDefault('3000', 'a port number from 0 to 65535', whole(0, 65535)),
	HOST: withDefault('0.0.0.0', 'a host name or address to listen on, without spaces', z.string().regex(/^\S+$/)),
	DATA_DIR: withDefault('./data', 'a directory path', z.string()),
	DATABASE_URL: optional('a postgres:// (or postgresql://) URL, a SQLite file path or a file: URL', z.string()),
	REDIS_URL: optional('a redis:// (or rediss://) URL', z.string().regex(/^rediss?:\/\/\S+$/), true),
	REDIS_PREFIX: withDefault('parley:', 'a channel prefix of 1 to 100 visible characters, no spaces', z.string().regex(/^[\x21-\x7e]{1,100}$/)),
	DRAIN_SECONDS: withDefault('0', 'a whole number of seconds from 0 to 300', whole(0, 300)),
	ORIGIN: optional('an origin such as https://chat.example.com (http or https, a host and an optional port; no path)', origin),
	SECURE_COOKIES: optional('true or false', trueOrFalse),
	SESSION_DAYS: withDefault(
		'30',
		'a number of days above 0 and at most 3650 (e.g. 30 or 0.5)',
		z.string().regex(/^\d+(\.\d+)?$/).transform(Number).pipe(z.number().positive().max(3650))
	),
	DOC_GRACE_MS: withDefault('5000', 'a whole number of milliseconds from 0 to 86400000', whole(0, 86_400_000)),
	TRUST_PROXY: withDefault('0', 'the number of reverse proxies in front of Parley (e.g. 1), or 0 (off) for none', proxies),
	SOURCE_KEY_SECRET: optional('at least 32 characters', z.string().min(32), true),
	CHATS_PER_ADDRESS: withDefault(String(DEFAULT_CHAT_LIMITS.perAddress), AT_LEAST_ONE, atLeastOne()),
	CHATS_PER_EMAIL: withDefault(String(DEFAULT_CHAT_LIMITS.perEmail), AT_LEAST_ONE, atLeastOne()),
	CHATS_WINDOW_SECONDS: withDefault(String(DEFAULT_CHAT_LIMITS.windowMs / 1000), AT_LEAST_ONE, atLeastOne()),
	CHATS_PER_MINUTE: withDefault(String(DEFAULT_CHAT_LIMITS.globalPerMinute), AT_LEAST_ONE, atLeastOne()),
	WAITING_CHATS_PER_ADDRESS: withDefault(String(DEFAULT_CHAT_LIMITS.waitingPerAddress), AT_LEAST_ONE, atLeastOne()),
	LOGIN_FAILURES_PER_ADDRESS_AND_EMAIL: withDefault(String(DEFAULT_LOGIN_LIMITS.failuresPerAddressAndEmail), AT_LEAST_ONE, atLeastOne()),
	LOGIN_FAILURES_PER_ADDRESS: withDefault(String(DEFAULT_LOGIN_LIMITS.failuresPerAddress), AT_LEAST_ONE, atLeastOne()),
	LOGIN_WINDOW_SECONDS: withDefault(String(DEFAULT_LOGIN_LIMITS.windowMs / 1000), AT_LEAST_ONE, atLeastOne()),
	ATTACHMENT_MAX_BYTES: withDefault('10485760', 'a whole number of bytes from 1 to 1073741824 (1 GiB)', whole(1, 1024 ** 3)),
	ATTACHMENT_UNREFERENCED_SECONDS: withDefault('86400', AT_LEAST_ONE, atLeastOne()),
	QUEUE_GIVE_UP_SECONDS: withDefault('120', AT_LEAST_ONE, atLeastOne()),
	SMTP_URL: optional('an smtp:// or smtps:// URL', z.string().regex(/^smtps?:\/\/[^\s]+$/), true),
	MAIL_FROM: withDefault(
		'Parley <parley@localhost>',
		'an address such as Support <support@example.com>, on one line',
		z.string().regex(/^[^\x00-\x1f\x7f]{3,200}$/).refine((v) => v.includes('@'))
	),
	LOG_LEVEL: withDefault('info', `one of ${LOG_LEVELS.join(', ')}`, z.string().toLowerCase().pipe(z.enum(LOG_LEVELS))),
	METRICS: withDefault('off', 'on or off', onOrOff),
	METRICS_TOKEN: optional('at least 32 visible ASCII characters, no spaces', z.string().regex(/^[\x21-\x7e]{32,}$/), true)
};

export type SettingName = keyof typeof SETTINGS;

/** Each setting's checked value; undefined only for a setting without a default that is unset. */
export type SettingValues = {
	[K in SettingName]: (typeof SETTINGS)[K] extends { fallback: string; schema: z.ZodType<infer T, z.ZodTypeDef, string> }
		? T
		: (typeof SETTINGS)[K] extends { schema: z.ZodType<infer T, z.ZodTypeDef, string> }
			? T | undefined
			: never;
};
