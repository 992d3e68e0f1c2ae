import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { createSession } from '../../auth/sessions';
import { verifyPassword } from '../../auth/passwords';
import { recordAudit } from '../audit';
import { DomainError, type Call } from '../context';
import { parseInput } from '../input';
import { publicViewOf } from './public-user';
import { waitText } from '../chats/wait-text';

const Input = z.object({
	email: z.string().trim().toLowerCase().min(1, 'required').max(254),
	password: z.string().min(1, 'required').max(200)
});

/** The untrusted JSON body, and the keyed client address it came from (T3). */
export interface LoginInput {
	body: unknown;
	source: string;
}

/**
 * Email + password sign-in. T3: failed attempts are counted per source (the keyed client address)
 * and per source + email; a source past either limit is refused before its password is looked at,
 * so it learns nothing more, while the same account signs in from anywhere else.
 */
export async function login({ ctx, input: { body, source } }: Call<LoginInput>) {
	const { email, password } = parseInput(Input, body);
	const now = ctx.clock();
	const waitMs = ctx.loginLimiter.waitMs(source, email, now);
	if (waitMs > 0) {
		throw new DomainError(
			'TOO_MANY_ATTEMPTS',
			`too many failed sign-ins from your network; please try again in ${waitText(waitMs)}`,
			Math.ceil(waitMs / 1000)
		);
	}
	ctx.loginLimiter.attempt(source, email, now);
	const { db, t } = ctx.store;
	const user = (await db.select().from(t.users).where(eq(t.users.email, email)).limit(1))[0];
	// Verify against a dummy hash for unknown emails so timing does not reveal which exist.
	const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
	if (!user || !ok) throw new DomainError('BAD_CREDENTIALS', 'wrong email or password');
	// Issue 16: said only to whoever knows the password.
	if (!user.active) throw new DomainError('FORBIDDEN', 'this account is deactivated; ask an admin to turn it back on');
	ctx.loginLimiter.succeeded(source, email, now);
	// The decision starts after the password check: a SQLite transaction must not wait on scrypt.
	return ctx.decide(async (ctx) => {
		const { token, session } = await createSession(ctx.store, user.id, now, ctx.config.sessionLifetimeMs);
		await recordAudit(ctx.store, { chatId: null, actor: user.id, kind: 'auth.login', at: now });
		return { token, expiresAt: session.expiresAt, user: await publicViewOf(ctx.store, user) };
	});
}

const DUMMY_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
