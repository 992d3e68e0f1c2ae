import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './auth/login-limiter';
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from './services/chat-limits';

type Env = Record<string, string | undefined>;

/** T3 settings from the environment (README "Configuration"); a bad value stops the start. */
export interface AbuseSettings {
	chatLimits: ChatLimits;
	loginLimits: LoginLimits;
	trustProxy: number;
}

export function abuseSettingsFromEnv(env: Env = process.env): AbuseSettings {
	const count = (name: string, fallback: number) => positiveInteger(env, name, fallback);
	return {
		chatLimits: {
			perAddress: count('CHATS_PER_ADDRESS', DEFAULT_CHAT_LIMITS.perAddress),
			perEmail: count('CHATS_PER_EMAIL', DEFAULT_CHAT_LIMITS.perEmail),
			windowMs: count('CHATS_WINDOW_SECONDS', DEFAULT_CHAT_LIMITS.windowMs / 1000) * 1000,
			globalPerMinute: count('CHATS_PER_MINUTE', DEFAULT_CHAT_LIMITS.globalPerMinute),
			waitingPerAddress: count('WAITING_CHATS_PER_ADDRESS', DEFAULT_CHAT_LIMITS.waitingPerAddress)
		},
		loginLimits: {
			failuresPerAddress: count('LOGIN_FAILURES_PER_ADDRESS', DEFAULT_LOGIN_LIMITS.failuresPerAddress),
			failuresPerAddressAndEmail: count('LOGIN_FAILURES_PER_ADDRESS_AND_EMAIL', DEFAULT_LOGIN_LIMITS.failuresPerAddressAndEmail),
			windowMs: count('LOGIN_WINDOW_SECONDS', DEFAULT_LOGIN_LIMITS.windowMs / 1000) * 1000
		},
		trustProxy: trustProxyFrom(env.TRUST_PROXY)
	};
}

function positiveInteger(env: Env, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: a whole number of at least 1, not "${raw}"`);
	return n;
}

/** Off (0) unless it names how many reverse proxies stand in front of the server. */
function trustProxyFrom(raw: string | undefined): number {
	if (raw === undefined || ['', '0', 'false', 'off', 'no'].includes(raw.trim().toLowerCase())) return 0;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < 1)
		throw new Error(`TRUST_PROXY: the number of reverse proxies in front of Parley (e.g. 1), or 0 for none; not "${raw}"`);
	return n;
}
