import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

/**
 * A decompression bomb's header: a few hundred bytes of PNG declaring `width` × `height` pixels
 * (its data is a sliver; a decoder that believed the header would allocate width × height × 4).
 */
export function hugePng(width: number, height: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filter, not interlaced
	const idat = Buffer.from('789c636000000000010001', 'hex');
	return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A PNG's signature and header, then garbage: the type says PNG, no decoder can read it. */
export const damagedPng = () => Buffer.concat([hugePng(64, 64).subarray(0, 33), Buffer.alloc(400, 0x5a)]);

/**
 * A JPEG photo, `width` × `height` as stored, with EXIF saying "rotate 90°" (orientation 6), a
 * GPS position and a camera owner's name: what a phone sends.
 */
export async function phonePhoto(width = 800, height = 400): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: '#c04020' } })
		.jpeg()
		.withMetadata({ orientation: 6 })
		.withExifMerge({ IFD0: { Artist: 'Pat Customer', Copyright: 'Pat' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 8/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '11/1 34/1 0/1' } })
		.toBuffer();
}

/** A real PNG screenshot-like image of `width` × `height`. */
export const screenshotPng = (width = 1200, height = 800) =>
	sharp({ create: { width, height, channels: 4, background: { r: 40, g: 90, b: 200, alpha: 1 } } })
		.png()
		.toBuffer();
