// Refusals are values inside the core; services turn them into DomainErrors at the edge.
export type Refusal<C extends string = string> = { ok: false; code: C; message: string };
export type Result<T, C extends string = string> = { ok: true; value: T } | Refusal<C>;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <C extends string>(code: C, message: string): Refusal<C> => ({
	ok: false,
	code,
	message
});
