import { Readable } from 'node:stream';
import sharp from 'sharp';

/** B9 (README "Attachments"): a thumbnail's longest edge, in pixels (smaller images keep their size). */
export const THUMB_EDGE = 320;
/** The type every thumbnail is served as. */
export const THUMB_TYPE = 'image/webp';
/**
 * The most pixels (width × height, as the image's header declares them) an image may have: a
 * decompression bomb (a small file declaring a huge image) is refused before it is decoded.
 * 50 million is a 8,660 × 5,773 photo; phone cameras give 12–48 million.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

// A shared server: no cache of decoded images between calls, one libvips thread per image.
sharp.cache(false);
sharp.concurrency(1);

/** The blob key of an attachment's thumbnail (ids are base32: never `-thumb` themselves). */
export const thumbKey = (id: string) => `${id}-thumb`;
/** The attachment id a blob key belongs to (its own, or its thumbnail's). */
export const attachmentIdOfKey = (key: string) => (key.endsWith('-thumb') ? key.slice(0, -'-thumb'.length) : key);

/** Why an image has no thumbnail: too many pixels, or not a readable image. */
export class UnreadableImage extends Error {
	constructor(
		readonly tooLarge: boolean,
		message: string
	) {
		super(message);
	}
}

/**
 * A thumbnail of an image (PNG, JPEG, GIF — its first frame —, WebP): turned upright as its
 * EXIF orientation says, at most THUMB_EDGE on its longest edge, WebP, and without any of the
 * original's metadata (EXIF, GPS, XMP, ICC profile: sharp writes none unless asked).
 */
export async function makeThumbnail(source: Readable): Promise<Buffer> {
	const image = sharp({ limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error', sequentialRead: true })
		.autoOrient()
		.resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside', withoutEnlargement: true })
		.webp({ quality: 75 });
	source.on('error', (err) => image.destroy(err));
	source.pipe(image);
	try {
		return await image.toBuffer();
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		if (/pixel limit/i.test(message)) throw new UnreadableImage(true, `the image has more than ${MAX_IMAGE_PIXELS} pixels`);
		throw new UnreadableImage(false, 'the image cannot be read (damaged or incomplete)');
	} finally {
		source.unpipe(image);
	}
}

/** The thumbnail as a stream the blob store takes. */
export const thumbStream = (bytes: Buffer) => Readable.from([bytes]);
