import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** One email the test SMTP server received: its envelope and its source, quoted-printable decoded. */
export interface ReceivedMail {
	from: string;
	to: string[];
	raw: string;
	/** The source with soft line breaks joined and =XX bytes decoded (UTF-8): easy to search. */
	decoded: string;
	/** The Subject header as sent (possibly RFC 2047 encoded-words). */
	subject: string;
}

const decodeQuotedPrintable = (s: string) =>
	Buffer.from(
		s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
		'latin1'
	).toString('utf8');

/** B8: a real SMTP server on 127.0.0.1, port 0, that keeps every mail it is sent (no auth, no TLS); `refuse` answers 550 for a recipient. */
export async function startTestSmtp(opts: { refuse?: (address: string) => boolean } = {}) {
	const mails: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, done) {
			if (opts.refuse?.(address.address)) return done(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
			done();
		},
		onData(stream, session, done) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				mails.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					raw,
					decoded: decodeQuotedPrintable(raw),
					subject: /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? ''
				});
				done();
			});
		}
	});
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		mails,
		stop: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}
