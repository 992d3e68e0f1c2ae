import { z } from 'zod';
import { checkShortNote } from '../../src/lib/core/conference/short-note';
import { normalizeName } from '../../src/lib/core/names';
import { DomainError } from './context';

/** Parses input or throws BAD_INPUT with a message that names the field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
	const r = schema.safeParse(input);
	if (r.success) return r.data;
	const issue = r.error.issues[0];
	const field = issue?.path.join('.') || 'body';
	throw new DomainError('BAD_INPUT', `${field}: ${issue?.message ?? 'invalid'}`);
}

/** Issue 16: a request's note or a decline's reason: one short line, or null when blank. */
export const ShortNote = z
	.string()
	.max(4000)
	.transform((raw, zctx) => {
		const result = checkShortNote(raw);
		if (result.ok) return result.value;
		zctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
		return z.NEVER;
	});

/** T2: a display name, normalized (see `normalizeName`); a refusal names the field it sits in. */
export const DisplayName = z.string().transform((raw, zctx) => {
	const result = normalizeName(raw);
	if (result.ok) return result.value;
	zctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
	return z.NEVER;
});
