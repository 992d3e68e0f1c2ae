import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

// server/config.ts: the environment, read and checked once (README "Configuration").

const problemsOf = (env: Record<string, string>) => {
	try {
		loadConfig(env);
	} catch (err) {
		if (err instanceof ConfigError) return err.problems;
		throw err;
	}
	throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('[config] loadConfig', () => {
	it('[config] an empty environment gives the README defaults', () => {
		expect(loadConfig({})).toEqual({
			port: 3000,
			host: '0.0.0.0',
			dataDir: './data',
			databaseUrl: undefined,
			redisUrl: undefined,
			redisPrefix: 'parley:',
			drainSeconds: 0,
			origin: null,
			secureCookies: null,
			sessionLifetimeMs: 30 * 24 * 3600 * 1000,
			docGraceMs: 5000,
			trustProxy: 0,
			sourceKeySecret: undefined,
			chatLimits: { perAddress: 5, perEmail: 10, windowMs: 600_000, globalPerMinute: 120, waitingPerAddress: 3 },
			loginLimits: { failuresPerAddressAndEmail: 10, failuresPerAddress: 30, windowMs: 300_000 },
			attachments: { maxBytes: 10 * 1024 * 1024, unreferencedMs: 24 * 3600_000 },
			queueGiveUpMs: 120_000,
			mail: { smtpUrl: null, from: 'Parley <parley@localhost>' },
			logLevel: 'info',
			metrics: { on: false, token: null }
		});
	});

	it('[config] blank counts as unset; values are trimmed and read', () => {
		const c = loadConfig({
			PORT: ' 8080 ',
			HOST: '',
			ORIGIN: 'https://Chat.Example.com/',
			SECURE_COOKIES: 'FALSE',
			SESSION_DAYS: '0.5',
			TRUST_PROXY: 'off',
			CHATS_WINDOW_SECONDS: '60',
			LOG_LEVEL: 'DEBUG',
			METRICS: 'on',
			METRICS_TOKEN: 't'.repeat(32)
		});
		expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', origin: 'https://chat.example.com', secureCookies: false, trustProxy: 0, logLevel: 'debug' });
		expect(c.sessionLifetimeMs).toBe(12 * 3600 * 1000);
		expect(c.chatLimits.windowMs).toBe(60_000);
		expect(c.metrics).toEqual({ on: true, token: 't'.repeat(32) });
		expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
		expect(loadConfig({ DRAIN_SECONDS: '10' }).drainSeconds).toBe(10);
	});

	// One bad value each: the start stops with a message naming the variable and what it must be.
	const BAD: [string, string, RegExp][] = [
		['REDIS_URL', 'http://redis:6379', /^REDIS_URL: must be a redis:\/\/ \(or rediss:\/\/\) URL; got a value of 17 characters$/],
		['REDIS_PREFIX', 'a b', /^REDIS_PREFIX: must be a channel prefix/],
		['PORT', '80a', /^PORT: must be a port number from 0 to 65535; got "80a"$/],
		['PORT', '65536', /^PORT: must be a port number/],
		['HOST', 'my host', /^HOST: must be a host name or address/],
		['ORIGIN', 'https://chat.example.com/app', /^ORIGIN: must be an origin such as https:\/\/chat\.example\.com .*no path/],
		['ORIGIN', 'chat.example.com', /^ORIGIN: must be an origin/],
		['ORIGIN', 'ftp://chat.example.com', /^ORIGIN: must be an origin/],
		['SECURE_COOKIES', 'yes', /^SECURE_COOKIES: must be true or false; got "yes"$/],
		['SESSION_DAYS', '0', /^SESSION_DAYS: must be a number of days above 0/],
		['SESSION_DAYS', 'thirty', /^SESSION_DAYS: must be a number of days above 0/],
		['DOC_GRACE_MS', '-1', /^DOC_GRACE_MS: must be a whole number of milliseconds/],
		['DRAIN_SECONDS', '301', /^DRAIN_SECONDS: must be a whole number of seconds from 0 to 300/],
		['DRAIN_SECONDS', '1.5', /^DRAIN_SECONDS: must be a whole number of seconds from 0 to 300/],
		['TRUST_PROXY', 'true', /^TRUST_PROXY: must be the number of reverse proxies/],
		['TRUST_PROXY', '1.5', /^TRUST_PROXY: must be the number of reverse proxies/],
		['CHATS_PER_ADDRESS', '0', /^CHATS_PER_ADDRESS: must be a whole number of at least 1; got "0"$/],
		['CHATS_PER_EMAIL', '2.5', /^CHATS_PER_EMAIL: must be a whole number of at least 1/],
		['CHATS_WINDOW_SECONDS', 'ten', /^CHATS_WINDOW_SECONDS: must be a whole number of at least 1/],
		['CHATS_PER_MINUTE', '-3', /^CHATS_PER_MINUTE: must be a whole number of at least 1/],
		['WAITING_CHATS_PER_ADDRESS', '1e2', /^WAITING_CHATS_PER_ADDRESS: must be a whole number of at least 1/],
		['LOGIN_FAILURES_PER_ADDRESS_AND_EMAIL', '0', /^LOGIN_FAILURES_PER_ADDRESS_AND_EMAIL: must be a whole number/],
		['LOGIN_FAILURES_PER_ADDRESS', 'many', /^LOGIN_FAILURES_PER_ADDRESS: must be a whole number/],
		['LOGIN_WINDOW_SECONDS', '0x10', /^LOGIN_WINDOW_SECONDS: must be a whole number/],
		['LOG_LEVEL', 'verbose', /^LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"$/],
		['METRICS', 'yes', /^METRICS: must be on or off; got "yes"$/]
	];
	for (const [name, value, message] of BAD)
		it(`[config] ${name}=${JSON.stringify(value)} stops the start, naming ${name}`, () => {
			expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(message)]);
		});

	it('[config] a secret that is too short is named, never repeated', () => {
		const secret = 'hunter2-but-short';
		for (const name of ['SOURCE_KEY_SECRET', 'METRICS_TOKEN']) {
			const problems = problemsOf({ [name]: secret, METRICS: 'on' });
			expect(problems).toEqual([expect.stringMatching(new RegExp(`^${name}: must be at least 32 .*; got a value of ${secret.length} characters$`))]);
			expect(problems.join()).not.toContain(secret);
		}
	});

	it('[config][B8] SMTP_URL must be smtp(s) and is never repeated (it may hold a password); MAIL_FROM stays on one line', () => {
		const url = 'http://user:s3cret@mail.example.com';
		const problems = problemsOf({ SMTP_URL: url });
		expect(problems).toEqual([expect.stringMatching(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL; got a value of \d+ characters$/)]);
		expect(problems.join()).not.toContain('s3cret');
		expect(problemsOf({ MAIL_FROM: 'Support <s@example.com>\r\nBcc: victim@example.com' })).toEqual([expect.stringMatching(/^MAIL_FROM: /)]);
		expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', QUEUE_GIVE_UP_SECONDS: '30' })).toMatchObject({
			queueGiveUpMs: 30_000,
			mail: { smtpUrl: 'smtps://u:p@mail.example.com:465' }
		});
	});

	it('[config] METRICS_TOKEN without METRICS=on is refused (a token nobody is asked for)', () => {
		expect(problemsOf({ METRICS_TOKEN: 'k'.repeat(40) })).toEqual([expect.stringMatching(/^METRICS_TOKEN: set, but METRICS is off/)]);
	});

	it('[config] every bad variable is named at once, in one error', () => {
		expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', CHATS_PER_EMAIL: '0' })).toThrow(
			/^bad configuration:\n {2}PORT: .*\n {2}CHATS_PER_EMAIL: .*\n {2}LOG_LEVEL: .*$/
		);
	});
});
