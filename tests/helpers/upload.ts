import type { ApiClient } from './api';

/** A file as a multipart part. */
export interface FilePart {
	name: string;
	bytes: Uint8Array | string;
	type?: string;
}

/** A multipart/form-data body: the fields, then the file (README "Attachments"). */
export function multipart(file: FilePart, fields: Record<string, string> = {}) {
	const boundary = `----parley${Math.random().toString(16).slice(2)}`;
	const parts: Buffer[] = [];
	for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
	parts.push(
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
		Buffer.from(file.bytes),
		Buffer.from(`\r\n--${boundary}--\r\n`)
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads `file` to a chat as `client` (its cookies); the answer's status and JSON. */
export async function upload(client: ApiClient, chatId: string, file: FilePart, fields: Record<string, string> = {}) {
	const { body, contentType } = multipart(file, fields);
	const res = await fetch(`${client.base}/api/chats/${chatId}/attachments`, {
		method: 'POST',
		headers: { 'content-type': contentType, ...cookieHeader(client) },
		body
	});
	const raw = await res.text();
	return { status: res.status, body: raw ? JSON.parse(raw) : null, raw };
}

/** Downloads an attachment as `client`. */
export async function download(client: ApiClient, chatId: string, id: string) {
	const res = await fetch(`${client.base}/api/chats/${chatId}/attachments/${id}`, { headers: cookieHeader(client) });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

export const cookieHeader = (client: ApiClient): Record<string, string> =>
	client.cookies.size ? { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};

/** A valid 1×1 transparent PNG (as sharp writes it: libpng reads it without an error, so it gets a thumbnail). */
export const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000970485973000003e8000003e801b57b526b0000000d494441540899636060606000000005000187a14ed40000000049454e44ae426082',
	'hex'
);
/** A minimal PDF header and body (the type is read from `%PDF-`). */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
