// Console keyboard shortcuts (UI.md "Keyboard"): they never fire while the agent types.

/**
 * True when the key went to a text field, so j/k/a are letters, not shortcuts — or to anything
 * inside a dialog (the Conference dialog's radios use arrow keys; `a` must not accept an offer).
 */
export function isTyping(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.closest('dialog')) return true;
	if (target.isContentEditable) return true;
	const tag = target.tagName;
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	if (tag !== 'INPUT') return false;
	const type = (target as HTMLInputElement).type;
	return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(type);
}

/**
 * The chat to select after `key` (j / ArrowDown next, k / ArrowUp previous), wrapping at the
 * ends; `undefined` when the key is not a movement key or there is nothing to move to.
 */
export function moveSelection(key: string, ids: readonly string[], current: string | null): string | undefined {
	const step = key === 'j' || key === 'ArrowDown' ? 1 : key === 'k' || key === 'ArrowUp' ? -1 : 0;
	if (step === 0 || ids.length === 0) return undefined;
	const at = current ? ids.indexOf(current) : -1;
	if (at < 0) return ids[step > 0 ? 0 : ids.length - 1];
	return ids[(at + step + ids.length) % ids.length];
}
