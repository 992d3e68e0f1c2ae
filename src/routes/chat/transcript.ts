import { transcriptHtml, transcriptText } from '$lib/core/transcript';
import { exactTime } from '$lib/ui/time';

// A transcript the customer can keep (UI.md, B8): plain text or an HTML page (every value
// escaped, no script: $lib/core/transcript). Any stored item has a line (T2): one that cannot be
// read says so, a bad time reads "time unknown". Times in the browser's own locale and zone.

const title = (topic: string) => `Parley chat${topic ? ` — ${topic}` : ''} (saved ${new Date().toLocaleString()})`;

export { transcriptText };

/** Offers the transcript as a download: parley-chat.txt or parley-chat.html. */
export function downloadTranscript(topic: string, messages: readonly unknown[], format: 'text' | 'html' = 'text') {
	const [body, type, ext] =
		format === 'html'
			? [transcriptHtml(title(topic), messages, exactTime), 'text/html', 'html']
			: [transcriptText(title(topic), messages, exactTime), 'text/plain', 'txt'];
	const blob = new Blob([body], { type: `${type};charset=utf-8` });
	const url = URL.createObjectURL(blob);
	const a = Object.assign(document.createElement('a'), { href: url, download: `parley-chat.${ext}` });
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
