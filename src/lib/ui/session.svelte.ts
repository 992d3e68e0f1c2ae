import type { Role } from '$lib/core/types';
import { api, ApiError, type Me } from '$lib/sync/api';

export type SessionPhase =
	| { kind: 'loading' }
	| { kind: 'login'; notice: string }
	| { kind: 'error'; message: string }
	| { kind: 'wrong-role'; me: Me }
	| { kind: 'in'; me: Me };

/**
 * Who is signed in on a staff page: GET /api/me decides between the sign-in form, the page,
 * and (when the page is for one role) "this page is for …". The methods are bound, so they
 * can be handed out as callbacks.
 */
export class Session {
	phase = $state<SessionPhase>({ kind: 'loading' });
	readonly #role: Role | undefined;
	readonly #signInOn: readonly number[];

	constructor({ role, signInOn = [401] }: { role?: Role; signInOn?: readonly number[] } = {}) {
		this.#role = role;
		this.#signInOn = signInOn;
	}

	load = async () => {
		this.phase = { kind: 'loading' };
		try {
			this.signedIn((await api.me()).user);
		} catch (e) {
			if (e instanceof ApiError && this.#signInOn.includes(e.status)) this.signedOut();
			else this.phase = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
		}
	};

	signedIn = (me: Me) => {
		this.phase = !this.#role || me.role === this.#role ? { kind: 'in', me } : { kind: 'wrong-role', me };
	};

	/** Back to the sign-in form, with a notice saying why (e.g. the session expired). */
	signedOut = (notice = '') => {
		this.phase = { kind: 'login', notice };
	};

	/** Ends the session on the server (a failure there changes nothing here) and shows sign-in. */
	signOut = async () => {
		await api.logout().catch(() => undefined);
		this.signedOut();
	};
}
