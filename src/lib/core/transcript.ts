import { escapeHtml } from './audit/transcript';
import { displayMessages, UNREADABLE, type DisplayMessage } from './display-message';

// B8: a chat's transcript for its customer, as plain text or as an HTML page (every value
// escaped), for the download and the email. Every stored item has a line (T2): one that cannot
// be read says so. `time` formats a message's time (the browser's locale, or UTC on the server).

export type TimeFormat = (at: number | null) => string;

/** ISO-like UTC, for emails: the server does not know the customer's time zone. */
export const utcTime: TimeFormat = (at) => (at === null ? 'time unknown' : new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC');

function line(m: DisplayMessage, time: TimeFormat): string {
	if (m.kind === 'unreadable') return `— ${UNREADABLE} —`;
	if (m.kind === 'system') return `[${time(m.at)}] — ${m.text} —`;
	return `[${time(m.at)}] ${m.author.name}: ${m.text}`;
}

export function transcriptText(title: string, messages: readonly unknown[], time: TimeFormat): string {
	return `${title}\n\n` + displayMessages(messages).map((m) => line(m, time)).join('\n') + '\n';
}

/** Text as HTML text or attribute (the audit export's): nothing in it opens a tag or ends an attribute. */
export { escapeHtml };

/**
 * The transcript as a standalone HTML page: no script, no link or image that loads anything,
 * every value escaped; `dir="auto"` keeps right-to-left text from reordering its neighbours.
 */
export function transcriptHtml(title: string, messages: readonly unknown[], time: TimeFormat): string {
	const rows = displayMessages(messages).map((m) => {
		if (m.kind === 'unreadable') return `<p class="system">— ${escapeHtml(UNREADABLE)} —</p>`;
		const when = `<time>${escapeHtml(time(m.at))}</time>`;
		if (m.kind === 'system') return `<p class="system">${when} ${escapeHtml(m.text)}</p>`;
		return `<p>${when} <b dir="auto">${escapeHtml(m.author.name)}</b>: <span dir="auto">${escapeHtml(m.text)}</span></p>`;
	});
	return (
		'<!doctype html>\n<html><head><meta charset="utf-8">' +
		'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">' +
		`<title>${escapeHtml(title)}</title>` +
		'<style>body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem}' +
		'time{color:#667;font-size:.85em}.system{color:#667;font-style:italic}p{white-space:pre-wrap}</style>' +
		`</head><body><h1>${escapeHtml(title)}</h1>\n${rows.join('\n')}\n</body></html>\n`
	);
}
