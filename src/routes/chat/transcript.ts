import { displayMessages, UNREADABLE } from '$lib/core/display-message';
import { exactTime } from '$lib/ui/time';

// A transcript the customer can keep (UI.md): plain text, one line per message. Any stored item
// has a line (T2): one that cannot be read says so, a bad time reads "time unknown".

export function transcriptText(topic: string, messages: readonly unknown[]): string {
	const head = `Parley chat${topic ? ` — ${topic}` : ''}\n${new Date().toLocaleString()}\n\n`;
	const lines = displayMessages(messages).map((m) =>
		m.kind === 'unreadable'
			? `— ${UNREADABLE} —`
			: m.kind === 'system'
				? `[${exactTime(m.at)}] — ${m.text} —`
				: `[${exactTime(m.at)}] ${m.author.name}: ${m.text}`
	);
	return head + lines.join('\n') + '\n';
}

/** Offers the transcript as a .txt download. */
export function downloadTranscript(topic: string, messages: readonly unknown[]) {
	const blob = new Blob([transcriptText(topic, messages)], { type: 'text/plain;charset=utf-8' });
	const url = URL.createObjectURL(blob);
	const a = Object.assign(document.createElement('a'), { href: url, download: 'parley-chat.txt' });
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
