import type { ChatMessage } from '$lib/core/types';

// A transcript the customer can keep (UI.md): plain text, one line per message.
export function transcriptText(topic: string, messages: readonly ChatMessage[]): string {
	const head = `Parley chat${topic ? ` — ${topic}` : ''}\n${new Date().toLocaleString()}\n\n`;
	const lines = messages.map((m) => {
		const at = new Date(m.at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
		return m.kind === 'system' ? `[${at}] — ${m.text} —` : `[${at}] ${m.author.name}: ${m.text}`;
	});
	return head + lines.join('\n') + '\n';
}

/** Offers the transcript as a .txt download. */
export function downloadTranscript(topic: string, messages: readonly ChatMessage[]) {
	const blob = new Blob([transcriptText(topic, messages)], { type: 'text/plain;charset=utf-8' });
	const url = URL.createObjectURL(blob);
	const a = Object.assign(document.createElement('a'), { href: url, download: 'parley-chat.txt' });
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
