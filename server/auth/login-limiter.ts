import { SlidingWindow } from './sliding-window';

export interface LoginLimits {
	/** Failed sign-ins one source may make in the window, whatever the emails. */
	failuresPerAddress: number;
	/** Failed sign-ins one source may make for one email in the window. */
	failuresPerAddressAndEmail: number;
	windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
	failuresPerAddress: 30,
	failuresPerAddressAndEmail: 10,
	windowMs: 5 * 60 * 1000
};

/**
 * T3: failed sign-ins slow down the source that makes them, never the account: counted per source
 * and per source + email, so ten wrong passwords for admin@… from one address refuse that address
 * while the admin signs in from another. A correct password clears its source + email count, not
 * the source's own (a source holding one good password could otherwise reset its guessing).
 */
export class LoginLimiter {
	private readonly perSource: SlidingWindow;
	private readonly perSourceEmail: SlidingWindow;

	constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
		this.perSource = new SlidingWindow(limits.failuresPerAddress, limits.windowMs);
		this.perSourceEmail = new SlidingWindow(limits.failuresPerAddressAndEmail, limits.windowMs);
	}

	/** Milliseconds this source must wait before it may try `email` again; 0 = now. */
	waitMs(source: string, email: string, now: number): number {
		return Math.max(this.perSource.waitMs(source, now), this.perSourceEmail.waitMs(pair(source, email), now));
	}

	/**
	 * Counts an attempt as failed before its password is checked: the check takes a while, and
	 * attempts sent at once must not all pass the limit before the first failure is counted.
	 */
	attempt(source: string, email: string, now: number) {
		this.perSource.record(source, now);
		this.perSourceEmail.record(pair(source, email), now);
	}

	/** The attempt made at `at` succeeded: it does not count, and the source + email starts over. */
	succeeded(source: string, email: string, at: number) {
		this.perSource.remove(source, at);
		this.perSourceEmail.clear(pair(source, email));
	}
}

const pair = (source: string, email: string) => `${source}\n${email}`;
