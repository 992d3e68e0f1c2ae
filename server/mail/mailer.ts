import nodemailer from 'nodemailer';

/** One email to a customer: plain text, and optionally an HTML part (already escaped). */
export interface Mail {
	to: string;
	subject: string;
	text: string;
	html?: string;
}

/** B8: how the services send email (SMTP_URL); tests read what an smtp-server on port 0 receives. */
export interface Mailer {
	send(mail: Mail): Promise<void>;
}

/** An address we send to: one plain mailbox, no display name, no line breaks or controls. */
const MAILBOX = /^[^\s@<>",;:\\()[\]\x00-\x1f\x7f]{1,64}@[A-Za-z0-9.-]{1,253}$/;

export function isMailbox(address: string): boolean {
	return address.length <= 254 && MAILBOX.test(address) && !address.includes('..');
}

/** A header value with nothing that could start another header (CR, LF, any control character). */
export function headerSafe(value: string, max = 200): string {
	// eslint-disable-next-line no-control-regex
	return value.replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, ' ').slice(0, max).trim();
}

/**
 * An SMTP mailer (nodemailer) from a URL such as smtp://user:pass@host:587 or smtps://…; `from`
 * is MAIL_FROM. Refuses an address that is not one plain mailbox (header injection) before any
 * connection is made.
 */
export function smtpMailer(url: string, from: string): Mailer {
	const transport = nodemailer.createTransport(url);
	return {
		async send({ to, subject, text, html }) {
			if (!isMailbox(to)) throw new Error('mail: refused a recipient that is not one plain address');
			await transport.sendMail({ from, to, subject: headerSafe(subject), text, html, disableUrlAccess: true, disableFileAccess: true });
		}
	};
}
