import { describe, expect, it } from 'vitest';
import { replyMail, transcriptMail } from '../../server/mail/customer-mail';
import { headerSafe, isMailbox, smtpMailer } from '../../server/mail/mailer';

const msg = (text: string, role = 'agent', name = 'Ada') => ({ id: text.slice(0, 8), kind: 'text', author: { id: name, role, name }, text, at: 0 });

describe('[B8 mail] nothing a customer types becomes a header or a recipient', () => {
	it('a recipient is one plain address', () => {
		expect(isMailbox('pat@example.com')).toBe(true);
		for (const bad of ['pat@example.com\r\nBcc: eve@example.com', 'Pat <pat@example.com>', 'a@b.com, c@d.com', 'pat@exa mple.com', 'pat', 'pat@@example.com', 'pat@example..com', `${'a'.repeat(65)}@example.com`, 'p\u0000t@example.com'])
			expect(isMailbox(bad), JSON.stringify(bad)).toBe(false);
	});

	it('a header value loses every line break and control', () => {
		expect(headerSafe('Billing\r\nBcc: eve@example.com')).toBe('Billing Bcc: eve@example.com');
		expect(headerSafe('a\u2028b\u0007c')).toBe('a b c');
		expect(headerSafe('x'.repeat(500))).toHaveLength(200);
	});

	it('the mailer refuses a bad recipient before any connection', async () => {
		const mailer = smtpMailer('smtp://127.0.0.1:1', 'Parley <parley@localhost>');
		await expect(mailer.send({ to: 'a@b.com\nBcc: c@d.com', subject: 's', text: 't' })).rejects.toThrow(/plain address/);
	});

	it('the HTML part escapes names and texts; the subject is ours and the topic', () => {
		const reply = replyMail('pat@example.com', 'Billing', [msg('<script>x</script>', 'agent', '<b>Ada</b>')], [msg('<img src=x>', 'customer', 'Pat')]);
		expect(reply.html).not.toMatch(/<script>|<img|<b>Ada/);
		expect(reply.html).toContain('&lt;script&gt;x&lt;/script&gt;');
		expect(reply.text).toContain('<b>Ada</b> wrote:\n<script>x</script>');
		expect(reply.subject).toBe('Re: your message to Parley support (Billing)');
		const transcript = transcriptMail('pat@example.com', 'Billing', [msg('<img src=x>', 'customer', 'Pat')]);
		expect(transcript.html).toContain('&lt;img src=x&gt;');
	});
});
