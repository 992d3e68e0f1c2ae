import { hasControlCharacter } from './text';

// B8: a customer's rating of its ended chat. Shared by the form (so an honest client never sends
// what the server refuses) and the server's check.

export const MIN_SCORE = 1;
export const MAX_SCORE = 5;
export const MAX_RATING_COMMENT = 1000;

/** Why a rating cannot be stored, or null when it can. */
export function ratingProblem(score: unknown, comment: string): string | null {
	if (typeof score !== 'number' || !Number.isInteger(score) || score < MIN_SCORE || score > MAX_SCORE)
		return `score: a whole number from ${MIN_SCORE} to ${MAX_SCORE}`;
	if (comment.length > MAX_RATING_COMMENT) return `comment: at most ${MAX_RATING_COMMENT} characters`;
	if (hasControlCharacter(comment)) return 'comment: must not hold control characters';
	if (/[\u202a-\u202e\u2066-\u2069]/.test(comment)) return 'comment: must not hold bidi override characters';
	return null;
}
