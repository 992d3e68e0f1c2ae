import net from 'node:net';
import { randomBytes } from 'node:crypto';

// The WebSocket wire by hand: an upgrade request with frames pipelined right behind it (sent
// before the server could have answered), and the server's close frame read back.

/** A masked client frame (binary unless `opcode` says otherwise). */
export function clientFrame(payload: Uint8Array, opcode = 0x2): Buffer {
	const mask = randomBytes(4);
	const len = payload.length;
	const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536
		? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
		: Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), bigLength(len)]);
	const body = Buffer.from(payload);
	for (let i = 0; i < body.length; i++) body[i] ^= mask[i % 4];
	return Buffer.concat([head, mask, body]);
}

function bigLength(len: number) {
	const b = Buffer.alloc(8);
	b.writeBigUInt64BE(BigInt(len));
	return b;
}

export interface RawExchange {
	/** HTTP status line of the answer ("HTTP/1.1 101 Switching Protocols"), or '' if none. */
	status: string;
	/** The close code of the server's close frame, if it sent one. */
	closeCode: number | null;
	closeReason: string;
}

/**
 * Sends an upgrade request for `path` with `extraHeaders`, immediately followed by `frames`, in
 * one write; collects the answer until the server closes (or `waitMs` passes).
 */
export function pipelinedUpgrade(port: number, path: string, extraHeaders: string[], frames: Buffer[], waitMs = 3000): Promise<RawExchange> {
	const request =
		`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
		`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
		extraHeaders.map((h) => `${h}\r\n`).join('') +
		'\r\n';
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		const sock = net.connect(port, '127.0.0.1', () => sock.write(Buffer.concat([Buffer.from(request, 'latin1'), ...frames])));
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			sock.destroy();
			resolve(parseAnswer(Buffer.concat(chunks)));
		};
		const timer = setTimeout(finish, waitMs);
		sock.on('data', (d) => {
			chunks.push(d);
			if (parseAnswer(Buffer.concat(chunks)).closeCode !== null) finish();
		});
		sock.on('close', finish);
		sock.on('error', finish);
	});
}

function parseAnswer(all: Buffer): RawExchange {
	const end = all.indexOf('\r\n\r\n');
	if (end < 0) return { status: '', closeCode: null, closeReason: '' };
	const status = all.subarray(0, all.indexOf('\r\n')).toString('latin1');
	let i = end + 4;
	// Server frames are unmasked: walk them until a close frame (opcode 8).
	while (i + 2 <= all.length) {
		const opcode = all[i] & 0x0f;
		let len = all[i + 1] & 0x7f;
		let at = i + 2;
		if (len === 126) {
			len = all.readUInt16BE(at);
			at += 2;
		} else if (len === 127) {
			len = Number(all.readBigUInt64BE(at));
			at += 8;
		}
		if (at + len > all.length) break;
		if (opcode === 0x8 && len >= 2)
			return { status, closeCode: all.readUInt16BE(at), closeReason: all.subarray(at + 2, at + len).toString('utf8') };
		i = at + len;
	}
	return { status, closeCode: null, closeReason: '' };
}
