import type { Role } from '$lib/core/types';

// Issue 16, "each role lands where it works": the page each staff role works on. A page meant for
// one role sends anyone else to theirs (with `?from=<page>`), never a console that cannot load.

const HOME: Record<Role, string> = { agent: '/agent', supervisor: '/supervise', admin: '/admin', auditor: '/audit', customer: '/chat' };

/** Where someone in this role works. */
export const homeOf = (role: Role): string => HOME[role];

/** The pages that send people elsewhere, and how the landing page names them. */
export const FROM_PAGES = { agent: 'The agent console' } as const;
export type FromPage = keyof typeof FROM_PAGES;

/** `?from=` of the current URL when it names a page that sent the visitor here, else null. */
export function sentFrom(url: URL): FromPage | null {
	const from = url.searchParams.get('from');
	return from !== null && Object.hasOwn(FROM_PAGES, from) ? (from as FromPage) : null;
}
