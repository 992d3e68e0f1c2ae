// The `/` canned replies keep focus in the composer while ↑/↓ move through the list, so a screen
// reader learns the choice from the textarea's aria-activedescendant (issue 16, accessibility).

export interface PickerAria {
	/** The listbox's id while it is open with options, else null. */
	listId: string | null;
	/** The active option's id. */
	activeId: string | null;
}

export const NO_PICKER: PickerAria = { listId: null, activeId: null };

/** Points the composer's textarea at the picker's list and active option, or clears that. */
export function linkPicker(box: HTMLTextAreaElement | null | undefined, aria: PickerAria) {
	if (!box) return;
	const set = (name: string, value: string | null) => (value ? box.setAttribute(name, value) : box.removeAttribute(name));
	set('aria-autocomplete', aria.listId ? 'list' : null);
	set('aria-controls', aria.listId);
	set('aria-activedescendant', aria.listId ? aria.activeId : null);
}
