import type { ServerResponse } from 'node:http';
import { COMMON_HEADERS, OTHER_DIRECTIVES, policyHeader } from './security-policy.js';

const OTHER_POLICY = policyHeader(OTHER_DIRECTIVES);

/**
 * Sets the security headers on an answer before anyone writes it. The Content-Security-Policy set
 * here is the strict one for API answers, errors and files; SvelteKit replaces it with the page
 * policy (svelte.config.js, with its nonce) on the pages it renders, and a route with its own
 * (the audit HTML export) replaces it too.
 */
export function setSecurityHeaders(res: ServerResponse) {
	for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
	res.setHeader('Content-Security-Policy', OTHER_POLICY);
}
