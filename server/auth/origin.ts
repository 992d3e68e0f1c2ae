/**
 * CSRF and cross-site WebSocket hijacking guard: a browser request that names an Origin must
 * come from the configured ORIGIN, or (without one) from the host it was sent to. Requests
 * without an Origin header are not from a browser page and carry no ambient risk beyond cookies,
 * which are SameSite=Lax.
 */
export function originAllowed(
	origin: string | undefined,
	host: string | undefined,
	configured: string | null
): boolean {
	if (!origin) return true;
	if (configured) return origin === configured;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}
