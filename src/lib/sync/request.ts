// The browser's HTTP client for /api (README "API"): JSON in and out, same-origin cookies,
// and every refusal turned into an ApiError carrying the server's code and message.

import type { ErrorCode } from '$lib/core/error-codes';
import { noteServerDate } from './server-clock';
import { bearerHeaders } from './bearer';

/**
 * What a refusal is called: one of the server's codes ($lib/core/error-codes), `NETWORK` when the
 * server could not be reached, `HTTP_<status>` for an answer without a code (e.g. from a proxy).
 */
export type ApiErrorCode = ErrorCode | 'NETWORK' | `HTTP_${number}`;

export class ApiError extends Error {
	readonly status: number;
	readonly code: ApiErrorCode;
	constructor(status: number, code: ApiErrorCode, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

const FALLBACK: Record<number, string> = {
	401: 'You are not signed in.',
	403: 'That is not allowed.',
	404: 'That could not be found.',
	409: 'Someone else changed this first.',
	429: 'Too many attempts. Wait a few minutes and try again.'
};

/** One JSON call to /api; a refusal becomes an ApiError (used by the other *-api modules). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	let res: Response;
	const sentAt = Date.now();
	try {
		res = await fetch(path, {
			method,
			credentials: 'same-origin',
			headers: { ...bearerHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		throw new ApiError(0, 'NETWORK', 'Cannot reach Parley. Check your connection and try again.');
	}
	noteServerDate(res.headers.get('date'), sentAt);
	const data = await res.json().catch(() => null);
	if (res.ok) return data as T;
	const err = data?.error;
	throw new ApiError(
		res.status,
		// The server's own word (its codes are the list in $lib/core/error-codes).
		typeof err?.code === 'string' ? (err.code as ErrorCode) : `HTTP_${res.status}`,
		typeof err?.message === 'string' && err.message
			? sentence(err.message)
			: (FALLBACK[res.status] ?? 'Something went wrong on our side. Try again in a moment.')
	);
}

/** "wrong email or password" → "Wrong email or password." */
export function sentence(text: string): string {
	const t = text.trim();
	return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?…]$/.test(t) ? '' : '.');
}

/** Which of `fields` a 400 message names ("the message names the field"), earliest first. */
export function fieldOf<F extends string>(message: string, fields: readonly F[]): F | null {
	let best: { field: F; at: number } | null = null;
	for (const field of fields) {
		const at = message.search(new RegExp(`\\b${field}\\b`, 'i'));
		if (at >= 0 && (!best || at < best.at)) best = { field, at };
	}
	return best?.field ?? null;
}

/** A path segment, encoded. */
export function enc(id: string) {
	return encodeURIComponent(id);
}
