import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERROR_STATUS, type ErrorCode } from '../../src/lib/core/error-codes';

/** The HTTP status of a refusal (the one list: src/lib/core/error-codes.ts). */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
	return ERROR_STATUS[code];
}

/** The JSON body of a refusal (README "API"). */
export function errorBody(code: ErrorCode, message: string) {
	return { error: { code, message } };
}
