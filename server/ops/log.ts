import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

/** The server's logger (`ctx.log`): JSON lines, one object each, to stdout unless told otherwise. */
export type Log = Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Keys that may hold a secret or a customer's words, wherever they sit in a logged object. Nothing
 * logs them on purpose (request lines carry method, route, path, status, time and actor only);
 * this is the second guard, for the object someone logs whole one day.
 */
const NEVER_LOGGED = ['password', 'token', 'cookie', 'authorization', 'text', 'secret', 'sourceSecret', 'sourceKeySecret'];
const REDACT_PATHS = NEVER_LOGGED.flatMap((key) => [key, `*.${key}`]).concat(['headers.cookie', 'req.headers.cookie', 'req.headers.authorization']);

export function createLog(level: LogLevel, destination?: DestinationStream): Log {
	return pino(
		{
			level,
			timestamp: stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			serializers: { err: safeError },
			redact: { paths: REDACT_PATHS, censor: '[redacted]' }
		},
		destination ?? (level === 'silent' ? { write: () => {} } : pino.destination({ dest: 1, sync: false }))
	);
}

/**
 * An error as it may be logged: type, message, code, stack, cause. drizzle's query errors put the
 * query's parameters (a message's text, an email, a password hash) into their message and stack:
 * of those only the query and the driver's own error (`UNIQUE constraint failed: …`) are kept.
 */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
	if (!(err instanceof Error)) return { type: typeof err, message: 'a thrown value that is not an Error' };
	const out: Record<string, unknown> = { type: err.name };
	if ('query' in err && 'params' in err) out.message = `Failed query: ${typeof err.query === 'string' ? err.query : '?'}`;
	else Object.assign(out, { message: err.message, stack: err.stack });
	const code = (err as { code?: unknown }).code;
	if (typeof code === 'string' || typeof code === 'number') out.code = code;
	if (err.cause !== undefined && depth < 3) out.cause = safeError(err.cause, depth + 1);
	return out;
}
