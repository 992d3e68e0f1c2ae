import { request } from 'node:http';

export interface FromResult {
	status: number;
	body: any;
	headers: Record<string, string | string[] | undefined>;
}

/**
 * One JSON request sent from a chosen local address (127.0.0.2, 127.0.0.3 … all reach the server
 * on Linux's loopback): a real other client address, without X-Forwarded-For, for the
 * per-address limits.
 */
export function callFrom(localAddress: string, url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<FromResult> {
	const { hostname, port } = new URL(url);
	const data = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((ok, fail) => {
		const req = request(
			{ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port, path, method, localAddress, headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers } },
			(res) => {
				let raw = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (raw += chunk));
				res.on('end', () => ok({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : null, headers: res.headers }));
			}
		);
		req.on('error', fail);
		req.end(data);
	});
}
