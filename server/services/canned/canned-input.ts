import { z } from 'zod';
import { checkCannedBody, checkCannedTitle } from '../../../src/lib/core/canned';

// The fields of a canned reply as the API takes them, checked as the core says (issue 16).

const checked = (check: typeof checkCannedTitle) =>
	z
		.string()
		.max(20_000)
		.transform((raw, zctx) => {
			const result = check(raw);
			if (result.ok) return result.value;
			zctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
			return z.NEVER;
		});

export const CannedTitle = checked(checkCannedTitle);
export const CannedBody = checked(checkCannedBody);
