// B7: the widget page runs in a third-party frame, where the browser never sends the SameSite chat
// cookie. There the customer's chat token (handed over by the loader, kept only in memory) is sent
// instead: `Authorization: Bearer` on /api calls and `?token=` on the /sync socket (README
// "Widget"). Everywhere else it stays null and cookies authenticate, as before.

let current: string | null = null;

export function setBearer(token: string | null) {
	current = token;
}

/** The header for /api calls, if a token is set. */
export const bearerHeaders = (): Record<string, string> => (current ? { authorization: `Bearer ${current}` } : {});

/** The query of the /sync socket's URL, if a token is set. */
export const bearerQuery = (): string => (current ? `?token=${encodeURIComponent(current)}` : '');
