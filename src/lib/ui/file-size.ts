/** "812 bytes", "48 KB", "3.2 MB": a file's size as people read it (1 KB = 1024 bytes). */
export function fileSize(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '';
	if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
	const mb = bytes / (1024 * 1024);
	return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** "PDF", "PNG", "Text": what a card says a file is. */
export function fileKind(type: string): string {
	if (type === 'application/pdf') return 'PDF';
	if (type.startsWith('text/plain')) return 'Text';
	if (type.startsWith('image/')) return type.slice(6).toUpperCase();
	return 'File';
}
