import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { isAcceptedType, TEXT_TYPE, type AcceptedType } from '../../../src/lib/core/attachments';

/** How much of the start of a file the type is read from (file-type reads at most 4100 bytes). */
const HEAD_BYTES = 4100;

/**
 * Markup that runs script when a browser takes the file for a page, anywhere in any file (a
 * polyglot: a real image or PDF with a page inside). Compressed image data matching it is
 * practically impossible; a file that does is refused.
 */
const ACTIVE_MARKUP = /<(script|html|svg|iframe|body|object|embed|!doctype\s+html)[\s>/]/i;
/**
 * What a browser's sniffer takes for a page or XML at the start of "text" (WHATWG MIME sniffing,
 * "identifying an unknown MIME type"): such text is not plain text.
 */
const PAGE_START = /^[\t\n\f\r ]*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|\?xml|!--)[\s>/]/i;
/** Plain text has no control characters but tab, line breaks, form feed and escape (logs' colours). */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f\u007f]/;

export class TooLarge extends Error {
	constructor(readonly maxBytes: number) {
		super(`larger than ${maxBytes} bytes`);
	}
}

/**
 * A pass-through for an upload on its way to the blob store: stops it with TooLarge once it passes
 * `maxBytes` (so no more is read), keeps the head for the type, and reads the whole content once
 * for markup and (while it may still be) for valid plain text.
 */
export class ContentCheck extends Transform {
	size = 0;
	private readonly headChunks: Buffer[] = [];
	private headSize = 0;
	private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
	private text = true;
	private markup = false;
	private carry = '';

	constructor(private readonly maxBytes: number) {
		super();
	}

	override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
		this.size += chunk.length;
		if (this.size > this.maxBytes) return done(new TooLarge(this.maxBytes));
		if (this.headSize < HEAD_BYTES) {
			const part = chunk.subarray(0, HEAD_BYTES - this.headSize);
			this.headChunks.push(part);
			this.headSize += part.length;
		}
		const latin1 = this.carry + chunk.toString('latin1');
		if (!this.markup && ACTIVE_MARKUP.test(latin1)) this.markup = true;
		this.carry = latin1.slice(-24);
		if (this.text) {
			try {
				if (TEXT_CONTROLS.test(this.utf8.decode(chunk, { stream: true }))) this.text = false;
			} catch {
				this.text = false;
			}
		}
		done(null, chunk);
	}

	override _flush(done: TransformCallback) {
		if (this.text) {
			try {
				this.utf8.decode();
			} catch {
				this.text = false;
			}
		}
		done();
	}

	/** The accepted type of what passed, or why it is refused (after the stream ended). */
	async verdict(): Promise<{ ok: true; type: AcceptedType } | { ok: false; message: string }> {
		const head = Buffer.concat(this.headChunks);
		if (this.markup) return { ok: false, message: 'the file holds HTML or SVG markup' };
		const found = await fileTypeFromBuffer(head);
		if (found) {
			const mime = found.mime === 'image/apng' ? 'image/png' : found.mime;
			return isAcceptedType(mime) ? { ok: true, type: mime } : { ok: false, message: `files of type ${mime} are not accepted` };
		}
		if (!this.text) return { ok: false, message: 'the file is of a type that is not accepted' };
		if (PAGE_START.test(head.toString('utf8'))) return { ok: false, message: 'the file is an HTML or XML page' };
		return { ok: true, type: TEXT_TYPE };
	}
}
