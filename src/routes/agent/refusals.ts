import { ApiError } from '$lib/sync/api';

/** What a refused Accept means for the agent, by the server's 409 code (README "API"). */
export function acceptRefusal(e: unknown, used: number, capacity: number): string {
	const code = e instanceof ApiError ? e.code : '';
	switch (code) {
		case 'TAKEN':
			return 'Another agent took this chat.';
		case 'AT_CAPACITY':
			return `You are at capacity (${used} of ${capacity}). End a chat first.`;
		case 'EXPIRED':
			return 'That request expired before you accepted it.';
		case 'WITHDRAWN':
		case 'CANCELLED':
			return 'That request was withdrawn.';
		default:
			return e instanceof Error ? e.message : String(e);
	}
}
