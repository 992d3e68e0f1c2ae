/** B9 (README "Attachments"): the largest upload and how long an unreferenced one is kept. */
export interface AttachmentLimits {
	/** Bytes of the file itself (the multipart framing around it is not counted). */
	maxBytes: number;
	/** ms after its upload that a file no message refers to is deleted by the sweep. */
	unreferencedMs: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxBytes: 10 * 1024 * 1024, unreferencedMs: 24 * 3600_000 };
