import { z } from 'zod';
import { DomainError } from './context';

/** Parses input or throws BAD_INPUT with a message that names the field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
	const r = schema.safeParse(input);
	if (r.success) return r.data;
	const issue = r.error.issues[0];
	const field = issue?.path.join('.') || 'body';
	throw new DomainError('BAD_INPUT', `${field}: ${issue?.message ?? 'invalid'}`);
}
