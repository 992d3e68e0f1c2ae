// Every error code the API answers with (`{"error": {"code", "message"}}`, README "API") and its
// HTTP status, in one list shared by the server (DomainError, the error mapping) and the browser
// (ApiError.code): a new code cannot be sent without a status, and a code the browser compares
// against that the server never sends fails the type check.

/** The statuses an error answers with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500;

export const ERROR_STATUS = {
	/** The input is wrong (also a body that is not JSON); the message names the field. */
	BAD_INPUT: 400,
	/** No session or chat token, or it expired. */
	NOT_SIGNED_IN: 401,
	/** Sign-in with a wrong email or password. */
	BAD_CREDENTIALS: 401,
	/** Not allowed (role, permission, a foreign `Origin`). */
	FORBIDDEN: 403,
	/** Accepting or declining a chat or request that was not offered to the caller. */
	NOT_OFFERED: 403,
	/** Conference and transfer requests are off in the caller's chat configuration (C1). */
	CONFERENCE_DISABLED: 403,
	/** The caller is not an agent in this chat. */
	NOT_PARTICIPANT: 403,
	/** Only the agent who sent a request may cancel it. */
	NOT_REQUESTER: 403,
	/** Only the chat's owner may attach or remove records (C12). */
	NOT_OWNER: 403,
	/** An unknown id or endpoint. */
	NOT_FOUND: 404,
	/** Another agent accepted first. */
	TAKEN: 409,
	/** The agent has no free capacity. */
	AT_CAPACITY: 409,
	/** The chat has already ended. */
	CHAT_ENDED: 409,
	/** The chat is no longer active. */
	CHAT_NOT_ACTIVE: 409,
	/** The target agent is already in the chat. */
	ALREADY_IN_CHAT: 409,
	/** The target agent is not available or has no free capacity. */
	TARGET_UNAVAILABLE: 409,
	/** No available agent with the skill has room. */
	NO_AGENT_AVAILABLE: 409,
	/** The caller already has a request pending to that target. */
	DUPLICATE_REQUEST: 409,
	/** The request expired before it was accepted. */
	EXPIRED: 409,
	/** The request was withdrawn (someone else accepted, or the chat moved on). */
	WITHDRAWN: 409,
	/** The requester cancelled the request. */
	CANCELLED: 409,
	/** The request was declined (by the caller, or by everyone it was offered to). */
	DECLINED: 409,
	/** The last agent cannot leave; it ends the chat instead (C7, C8). */
	LAST_AGENT: 409,
	/** Only the last agent may end the chat (C8). */
	NOT_LAST_AGENT: 409,
	/** A chat in conference routed by button skills cannot be transferred (C14). */
	TRANSFER_NEEDS_OMNI: 409,
	/** The record is already attached to the chat. */
	ALREADY_ATTACHED: 409,
	/** B3: the shared draft changed since the caller last saw it (send again after a look). */
	DRAFT_CHANGED: 409,
	/** B8: the chat is no longer waiting (an agent joined, or it ended): no message can be left. */
	NOT_WAITING: 409,
	/** B8: done once per chat already (a left message, a rating). */
	ALREADY_DONE: 409,
	/** B8: a rating before the chat has ended. */
	CHAT_NOT_ENDED: 409,
	/** B8: email is asked for, but no SMTP server is configured (SMTP_URL). */
	EMAIL_OFF: 409,
	/** Issue 16: an agent in chats cannot be deactivated until they end or transfer them. */
	AGENT_IN_CHATS: 409,
	/** A body larger than the API reads (an attachment: larger than ATTACHMENT_MAX_BYTES). */
	TOO_LARGE: 413,
	/** B9: a file whose content is not of an accepted type (README "Attachments"). */
	UNSUPPORTED_TYPE: 415,
	/** Too many failed sign-ins from this address (with `Retry-After`). */
	TOO_MANY_ATTEMPTS: 429,
	/** Past a chat-creation limit (with `Retry-After`). */
	TOO_MANY_CHATS: 429,
	/** B8: this chat's transcript was emailed as often as it may be. */
	TOO_MANY_EMAILS: 429,
	/** A failure on our side; try again. */
	INTERNAL: 500
} as const satisfies Record<string, ErrorStatus>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Names a subset of the error codes (a refusal type of the core); a misspelt code fails to compile. */
export type ErrorCodes<C extends ErrorCode> = C;
