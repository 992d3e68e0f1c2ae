import { randomBytes } from 'node:crypto';

/**
 * Redis for the tests (issue 13): only when PARLEY_TEST_REDIS names a server, e.g.
 * redis://127.0.0.1:6379. Without it the Redis suites are skipped, and say so. Runs share the
 * server, so each run puts its own random prefix before every channel (and connection name).
 */
export const TEST_REDIS = process.env.PARLEY_TEST_REDIS || undefined;

export const REDIS_SKIPPED =
	'Redis suites skipped: PARLEY_TEST_REDIS is not set. To run them, point it at a Redis server, e.g. ' +
	'PARLEY_TEST_REDIS=redis://127.0.0.1:6379 (start one with `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`)';

/** Prints why a Redis suite does not run (vitest shows it with the file's output). */
export function sayWhyRedisIsSkipped(): void {
	if (!TEST_REDIS) console.info(REDIS_SKIPPED);
}

/** This run's prefix: `parley-test-<pid>-<random>:`. */
export const TEST_REDIS_PREFIX = `parley-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
