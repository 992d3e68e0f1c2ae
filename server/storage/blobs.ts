import type { Readable } from 'node:stream';

// The blob port (ARCHITECTURE "Storage"): file contents by key, outside the database. The
// embedded adapter is a folder (folder-blobs.ts); an S3-compatible store implements the same four
// calls (put = a multipart upload completed only at the end, open = GetObject, delete =
// DeleteObject, olderThan = ListObjectsV2 filtered on LastModified).

/** What a stored blob is: its length in bytes and the SHA-256 of its bytes (hex). */
export interface BlobFacts {
	size: number;
	sha256: string;
}

export interface BlobStore {
	/**
	 * Stores `content` under `key`, streamed (never held whole in memory). All or nothing: until the
	 * stream has ended the key shows nothing (nor the old content, if any); when the stream fails,
	 * nothing is kept and the promise rejects with the stream's error.
	 */
	put(key: string, content: Readable): Promise<BlobFacts>;
	/** The stored bytes as a stream, or null when there is no such key. */
	open(key: string): Promise<{ size: number; stream: Readable } | null>;
	/** Removes the key; no error when it is not there. */
	delete(key: string): Promise<void>;
	/** The keys stored before `before` (ms since epoch): for the sweep of orphans. */
	olderThan(before: number): AsyncIterable<string>;
}

/** Keys are the server's ids: letters, digits, `-` and `_` only (never a path). */
export const isBlobKey = (key: string) => /^[A-Za-z0-9_-]{1,128}$/.test(key);
