// B9: files in a chat. The types the server accepts (decided on the file's CONTENT, never on its
// name or the type the client claims), which of them a browser may show inline, and the rule on
// which uploads a message may refer to. Shared by the server (upload, serving, write policy) and
// the browser (what to show as an image, what as a card).

/** Inline-safe images: shown in the page (`Content-Disposition: inline`). */
export const INLINE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** Plain text (logs): UTF-8 without control characters (tab, line breaks, form feed allowed) and without markup. */
export const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * Every type accepted (README "Attachments"). Not accepted, on purpose: SVG and HTML (script in
 * our origin), XML, archives (zip: their content cannot be checked, and a zip bomb or an
 * executable inside is the recipient's problem), office documents (macros).
 */
export const ACCEPTED_TYPES = [...INLINE_TYPES, 'application/pdf', TEXT_TYPE] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

export const isAcceptedType = (type: string): type is AcceptedType => (ACCEPTED_TYPES as readonly string[]).includes(type);
export const isInlineType = (type: string) => (INLINE_TYPES as readonly string[]).includes(type);

/** Most files one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Longest attachment id a message may name (ids are the server's, far shorter). */
export const MAX_ATTACHMENT_ID = 64;

/** What the write policy knows of an upload (its row, kept by the server). */
export interface UploadRef {
	id: string;
	chatId: string;
	/** The uploader's actor id (a customer's or a user's id). */
	uploadedBy: string;
	/** Uploaded for whispers: never referenced in (nor served to) the customer's document. */
	agentsOnly: boolean;
}

/** Where the message that refers to uploads is written. */
export interface RefTarget {
	chatId: string;
	/** The writer's actor id (the message's author id). */
	writerId: string;
	/** `chat/<id>/agents` (whispers): only agents-only uploads; `chat/<id>`: only the others. */
	agentsOnly: boolean;
}

export type RefCheck = { ok: true } | { ok: false; unknown: boolean; message: string };

/**
 * B9: a message may refer only to files its own writer uploaded for this same chat, and only to
 * agents-only files in whispers (and never to them in the customer's document). `lookup` answers
 * what the server knows; `unknown: true` means it knows nothing of an id (the caller may look
 * again in the table, then ask once more).
 */
export function checkAttachmentRefs(ids: readonly string[], target: RefTarget, lookup: (id: string) => UploadRef | undefined): RefCheck {
	for (const id of ids) {
		const upload = lookup(id);
		if (!upload || upload.chatId !== target.chatId)
			return { ok: false, unknown: !upload, message: `attachment ${JSON.stringify(id)} was not uploaded to this chat` };
		if (upload.uploadedBy !== target.writerId) return { ok: false, unknown: false, message: `attachment ${JSON.stringify(id)} was uploaded by someone else` };
		if (upload.agentsOnly !== target.agentsOnly)
			return {
				ok: false,
				unknown: false,
				message: upload.agentsOnly ? `attachment ${JSON.stringify(id)} is for agents only` : `attachment ${JSON.stringify(id)} was not uploaded for agents only`
			};
	}
	return { ok: true };
}

/**
 * A file name fit to store and show: its last path segment, without control or bidi-override
 * characters, at most 200 characters; "file" when nothing is left.
 */
export function cleanFileName(raw: string): string {
	const last = raw.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const clean = last.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
	const short = [...clean].slice(0, 200).join('');
	return short === '' || short === '.' || short === '..' ? 'file' : short;
}
