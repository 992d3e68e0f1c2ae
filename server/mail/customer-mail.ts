import { displayMessages } from '../../src/lib/core/display-message';
import { escapeHtml, transcriptHtml, transcriptText, utcTime } from '../../src/lib/core/transcript';
import type { Mail } from './mailer';

// B8: the emails a customer receives. Every value a person wrote is escaped in the HTML part;
// the subject is built from our own words and the topic only (headerSafe strips line breaks).

const titleOf = (topic: string) => `Parley chat — ${topic}`;

/** The agents' replies to a left message, newest included, with the whole transcript below. */
export function replyMail(to: string, topic: string, replies: readonly unknown[], messages: readonly unknown[]): Mail {
	const shown = displayMessages(replies).flatMap((m) => (m.kind === 'text' ? [m] : []));
	const text =
		shown.map((m) => `${m.author.name} wrote:\n${m.text}\n`).join('\n') +
		`\nThe whole conversation:\n\n${transcriptText(titleOf(topic), messages, utcTime)}`;
	const html =
		shown.map((m) => `<p><b dir="auto">${escapeHtml(m.author.name)}</b> wrote:</p><blockquote dir="auto" style="white-space:pre-wrap">${escapeHtml(m.text)}</blockquote>`).join('') +
		'<hr>' +
		transcriptHtml(titleOf(topic), messages, utcTime);
	return { to, subject: `Re: your message to Parley support (${topic})`, text, html };
}

/** The transcript the customer asked for. */
export function transcriptMail(to: string, topic: string, messages: readonly unknown[]): Mail {
	return {
		to,
		subject: `Your Parley chat transcript (${topic})`,
		text: transcriptText(titleOf(topic), messages, utcTime),
		html: transcriptHtml(titleOf(topic), messages, utcTime)
	};
}
