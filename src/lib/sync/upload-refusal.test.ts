import { describe, expect, it } from 'vitest';
import { uploadRefusal } from './upload-refusal';

const error = (message: string) => ({ error: { code: 'X', message } });

describe('[B9] a failed upload says why', () => {
	it('[B9] too large, with the limit the server said', () => {
		expect(uploadRefusal(413, error('file: larger than 10485760 bytes'))).toBe('Too large: files may be at most 10 MB.');
		expect(uploadRefusal(413, error('file: larger than 1572864 bytes'))).toBe('Too large: files may be at most 1.5 MB.');
		expect(uploadRefusal(413, error('file: the image has more than 50000000 pixels'))).toBe('Too large: the image has more than 50000000 pixels.');
		expect(uploadRefusal(413, null)).toBe('Too large.');
	});
	it('[B9] a type not taken, with what the server read', () => {
		expect(uploadRefusal(415, error('file: files of type application/zip are not accepted; accepted are PNG, JPEG, GIF, WebP, PDF and plain text'))).toBe(
			"This type of file can't be sent. Images (PNG, JPEG, GIF, WebP), PDF and plain text can (files of type application/zip are not accepted)."
		);
	});
	it('[B9] the network, an ended chat, anything else', () => {
		expect(uploadRefusal(0, null)).toBe('Network error: the upload did not get through.');
		expect(uploadRefusal(409, error('the chat has ended'))).toBe('The chat has ended.');
		expect(uploadRefusal(502, '<html>bad gateway</html>')).toBe('Upload failed (HTTP 502).');
		expect(uploadRefusal(400, error('file: empty'))).toBe('Upload refused: empty.');
	});
});
