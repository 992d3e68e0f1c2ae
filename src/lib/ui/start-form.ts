import { ApiError, fieldOf, sentence } from '$lib/sync/request';

// What the two start forms (the customer page's and the widget's) check and show alike.

export type StartField = 'name' | 'email' | 'topic';
export type StartValues = { name: string; email: string; topic: string };
export type StartErrors = Partial<Record<StartField, string>>;

/** What must be fixed before a start is sent; no name or email is asked of a visitor the site signed in. */
export function checkStart(values: StartValues, askContact = true): StartErrors {
	const errors: StartErrors = {};
	if (askContact && !values.name.trim()) errors.name = 'Enter your name so the agent knows who you are.';
	if (askContact && !/^\S+@\S+\.\S+$/.test(values.email.trim())) errors.email = 'Enter an email like you@example.com.';
	if (!values.topic) errors.topic = 'Choose what your question is about.';
	return errors;
}

const START_FIELDS: readonly StartField[] = ['name', 'email', 'topic'];

/**
 * A refused start: the field its 400 message names (of `fields`) and the sentence to show under
 * it, or null and the message as it came (for the form's own error line). A tuple: this ships on
 * the customer page, where every byte counts.
 */
export function startRefusal<F extends string = StartField>(err: unknown, fields: readonly F[] = START_FIELDS as readonly F[]): [F | null, string] {
	const message = err instanceof Error ? err.message : 'The chat could not be started.';
	const field = err instanceof ApiError && err.status === 400 ? fieldOf(message, fields) : null;
	return [field, field ? sentence(message.replace(new RegExp(`^${field}\\s*:\\s*`, 'i'), '')) : message];
}
