import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const MIN_SECRET_CHARS = 32;

/**
 * T3: the secret that keys source keys. The database stores only HMAC-SHA-256(secret, source),
 * never an address; an IPv4 address has only 2³² values, so without a secret kept outside the
 * database its hash could be reversed by trying them all. SOURCE_KEY_SECRET wins (at least 32
 * characters); otherwise a random secret is created once beside the database, in
 * `<database file>.secret` (mode 0600), and read on every start.
 */
export function loadSourceSecret(databaseFile: string, fromEnv?: string): Buffer {
	if (fromEnv !== undefined && fromEnv !== '') {
		if (fromEnv.length < MIN_SECRET_CHARS) throw new Error(`SOURCE_KEY_SECRET: at least ${MIN_SECRET_CHARS} characters`);
		return Buffer.from(fromEnv, 'utf8');
	}
	const file = `${databaseFile}.secret`;
	try {
		// 'wx': only the first start writes it, also when two processes start at once.
		writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
	}
	const secret = readFileSync(file, 'utf8').trim();
	if (secret.length < MIN_SECRET_CHARS) throw new Error(`${file}: the secret is shorter than ${MIN_SECRET_CHARS} characters`);
	return Buffer.from(secret, 'utf8');
}

/** The keyed hash of a source (hex): what `chats.source_key` holds and the limits count by. */
export function sourceKey(secret: Buffer, source: string): string {
	return createHmac('sha256', secret).update(source).digest('hex');
}
