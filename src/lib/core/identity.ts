// T4: an identity is proven, not typed. Each chat records how the customer behind it is known;
// only a proven chat is linked to the customer's earlier chats, and only proven chats are shown
// in such a history. An email typed into the start form is a claim.

export const CHAT_IDENTITIES = ['new', 'token', 'signed', 'confirmed', 'claimed'] as const;

/**
 * `new`: the first chat with an email nobody used before (it founds that customer).
 * `token`: started from a client holding the token of a proven chat of the same customer.
 * `signed` / `confirmed`: the embedding site signed the identity / the customer confirmed the
 * email (reserved for the widget and email confirmation; already proven here).
 * `claimed`: an email already in use, typed without proof.
 */
export type ChatIdentity = (typeof CHAT_IDENTITIES)[number];

/** Whether the customer behind a chat with this identity is known to own its email. */
export const isProven = (identity: ChatIdentity): boolean => identity !== 'claimed';

/** How a new chat's customer is known, from what the start request brought. */
export function identityOfNewChat(facts: { emailKnown: boolean; holdsProvenChat: boolean }): 'new' | 'token' | 'claimed' {
	if (!facts.emailKnown) return 'new';
	return facts.holdsProvenChat ? 'token' : 'claimed';
}

/** Why agents see no earlier chats for a chat whose identity is claimed (the history answer says it). */
export const UNVERIFIED_REASON =
	'email not verified: it was typed in a browser that holds none of this customer’s chats, so earlier chats are hidden';
