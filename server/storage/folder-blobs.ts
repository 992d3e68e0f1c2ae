import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isBlobKey, type BlobFacts, type BlobStore } from './blobs';

/**
 * The blob port in a folder (`<DATA_DIR>/blobs/` by default): one file per key. A put writes a
 * temp file in `tmp/` (same file system) and renames it into place once complete and flushed, so
 * a half-written upload never shows under its key; temp files older than a day are orphans of a
 * crash and `olderThan` does not list them (the folder is swept by `sweepTemp`).
 */
export class FolderBlobs implements BlobStore {
	private readonly tmp: string;
	private ready: Promise<unknown> | null = null;

	constructor(readonly dir: string) {
		this.tmp = join(dir, 'tmp');
	}

	private made() {
		return (this.ready ??= mkdir(this.tmp, { recursive: true }));
	}

	private path(key: string) {
		if (!isBlobKey(key)) throw new Error(`not a blob key: ${JSON.stringify(key)}`);
		return join(this.dir, key);
	}

	async put(key: string, content: Readable): Promise<BlobFacts> {
		const target = this.path(key);
		await this.made();
		const temp = join(this.tmp, `${key}.${randomBytes(6).toString('hex')}`);
		const hash = createHash('sha256');
		let size = 0;
		const count = new Transform({
			transform(chunk: Buffer, _enc, done) {
				size += chunk.length;
				hash.update(chunk);
				done(null, chunk);
			}
		});
		try {
			await pipeline(content, count, createWriteStream(temp, { flags: 'wx' }));
			const file = await open(temp, 'r+');
			try {
				await file.sync(); // durable before it is visible under its key
			} finally {
				await file.close();
			}
			await rename(temp, target);
		} catch (err) {
			await rm(temp, { force: true });
			throw err;
		}
		return { size, sha256: hash.digest('hex') };
	}

	async open(key: string) {
		const path = this.path(key);
		try {
			const { size } = await stat(path);
			return { size, stream: createReadStream(path) };
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw err;
		}
	}

	async delete(key: string) {
		await rm(this.path(key), { force: true });
	}

	async *olderThan(before: number): AsyncIterable<string> {
		await this.made();
		for (const entry of await readdir(this.dir, { withFileTypes: true })) {
			if (!entry.isFile() || !isBlobKey(entry.name)) continue;
			const { mtimeMs } = await stat(join(this.dir, entry.name)).catch(() => ({ mtimeMs: Infinity }));
			if (mtimeMs < before) yield entry.name;
		}
	}

	/** Removes temp files a crash left behind (older than `before`, ms since epoch). */
	async sweepTemp(before: number) {
		await this.made();
		for (const name of await readdir(this.tmp)) {
			const path = join(this.tmp, name);
			const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Infinity }));
			if (mtimeMs < before) await rm(path, { force: true });
		}
	}
}
