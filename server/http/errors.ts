import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../services/context';

/** One exhaustive map from domain refusals to HTTP statuses. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
	switch (code) {
		case 'BAD_INPUT':
			return 400;
		case 'NOT_SIGNED_IN':
		case 'BAD_CREDENTIALS':
			return 401;
		case 'FORBIDDEN':
		case 'NOT_OFFERED':
		case 'CONFERENCE_DISABLED':
		case 'NOT_PARTICIPANT':
		case 'NOT_REQUESTER':
		case 'NOT_OWNER':
			return 403;
		case 'NOT_FOUND':
			return 404;
		case 'TAKEN':
		case 'AT_CAPACITY':
		case 'CHAT_ENDED':
		case 'CHAT_NOT_ACTIVE':
		case 'ALREADY_IN_CHAT':
		case 'TARGET_UNAVAILABLE':
		case 'NO_AGENT_AVAILABLE':
		case 'DUPLICATE_REQUEST':
		case 'EXPIRED':
		case 'WITHDRAWN':
		case 'CANCELLED':
		case 'DECLINED':
		case 'LAST_AGENT':
		case 'NOT_LAST_AGENT':
		case 'TRANSFER_NEEDS_OMNI':
		case 'ALREADY_ATTACHED':
			return 409;
		case 'TOO_MANY_ATTEMPTS':
		case 'TOO_MANY_CHATS':
			return 429;
		default: {
			const never: never = code;
			throw new Error(`unmapped error code ${never}`);
		}
	}
}
