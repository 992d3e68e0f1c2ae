import type { Ctx } from '../context';
import { makeThumbnail, thumbKey, thumbStream } from './thumbnail';

/**
 * B9: makes the thumbnail of stored image `id` and stores it beside it (made once: at the upload,
 * or on the first request for an image uploaded before thumbnails existed). Throws
 * UnreadableImage when the image cannot have one.
 */
export async function storeThumbnail(ctx: Pick<Ctx, 'blobs'>, id: string): Promise<{ size: number; bytes: Buffer } | null> {
	const original = await ctx.blobs.open(id);
	if (!original) return null;
	const bytes = await makeThumbnail(original.stream);
	await ctx.blobs.put(thumbKey(id), thumbStream(bytes));
	return { size: bytes.length, bytes };
}
