import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createLog, safeError } from '../../server/ops/log';

// server/ops/log.ts: what a log line may hold (README "Operations": never a secret or message text).

function capture() {
	const lines: string[] = [];
	return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('[ops] the log', () => {
	it('[ops] a failed query is logged with its SQL and the driver error, never its parameters', () => {
		const driver = Object.assign(new Error('UNIQUE constraint failed: users.email'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
		const failed = new DrizzleQueryError('insert into "users" values (?, ?)', ['pat@example.com', 'the secret text'], driver);
		const out = capture();
		createLog('info', out.destination).error({ err: new Error('accept failed', { cause: failed }) }, 'request failed');
		const line = JSON.parse(out.lines[0]);
		expect(line.err.cause).toEqual({
			type: 'Error',
			message: 'Failed query: insert into "users" values (?, ?)',
			cause: expect.objectContaining({ message: 'UNIQUE constraint failed: users.email', code: 'SQLITE_CONSTRAINT_UNIQUE' })
		});
		expect(out.lines[0]).not.toMatch(/pat@example\.com|the secret text/);
	});

	it('[ops] keys that hold secrets or message text are redacted wherever they sit', () => {
		const out = capture();
		const log = createLog('info', out.destination);
		log.info({ password: 'p4ss', body: { text: 'my card number', token: 't0k', email: 'kept@example.com' }, headers: { cookie: 'parley_session=abc' } }, 'oops');
		expect(out.lines[0]).not.toMatch(/p4ss|my card number|t0k|parley_session=abc/);
		expect(JSON.parse(out.lines[0])).toMatchObject({ password: '[redacted]', body: { text: '[redacted]', token: '[redacted]' } });
	});

	it('[ops] lines are JSON with a level name and an ISO time; silent writes nothing', () => {
		const out = capture();
		createLog('info', out.destination).info({ a: 1 }, 'hello');
		expect(JSON.parse(out.lines[0])).toMatchObject({ level: 'info', msg: 'hello', a: 1, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
		const quiet = capture();
		createLog('silent', quiet.destination).error('nobody hears this');
		expect(quiet.lines).toEqual([]);
		expect(safeError('a string')).toEqual({ type: 'string', message: 'a thrown value that is not an Error' });
	});
});
