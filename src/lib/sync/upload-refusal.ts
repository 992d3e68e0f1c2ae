// B9: why an upload failed, in words for the person who chose the file (README "Attachments").

/** Why an answer (`status`, its JSON `body`; 0: no answer) refused the upload, in words for the person who chose the file. */
export function uploadRefusal(status: number, body: unknown): string {
	const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
	const said = typeof message === 'string' ? message.replace(/^file: /, '') : '';
	const limit = /larger than (\d+) bytes/.exec(said);
	if (status === 413) return `Too large${limit ? `: files may be at most ${megabytes(Number(limit[1]))}` : said ? `: ${said}` : ''}.`;
	if (status === 415) return `This type of file can't be sent. Images (PNG, JPEG, GIF, WebP), PDF and plain text can${said ? ` (${said.replace(/; accepted are.*$/, '')})` : ''}.`;
	if (status === 409) return 'The chat has ended.';
	if (status === 401 || status === 403) return 'Not allowed to send files here.';
	if (status === 0) return 'Network error: the upload did not get through.';
	return said ? `Upload refused: ${said}.` : `Upload failed (HTTP ${status}).`;
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
