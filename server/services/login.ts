import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { createSession } from '../auth/sessions';
import { verifyPassword } from '../auth/passwords';
import { users } from '../db/schema';
import { recordAudit } from './audit';
import { DomainError, type Ctx } from './context';
import { parseInput } from './input';
import { publicUser } from './public-user';

const Input = z.object({
	email: z.string().trim().toLowerCase().min(1, 'required').max(254),
	password: z.string().min(1, 'required').max(200)
});

/** Email + password sign-in, rate-limited per email and per client address. */
export async function login(ctx: Ctx, input: unknown, clientAddress: string) {
	const { email, password } = parseInput(Input, input);
	const now = ctx.now();
	const keys = [`email:${email}`, `ip:${clientAddress}`];
	if (keys.some((k) => ctx.loginLimiter.blocked(k, now)))
		throw new DomainError('TOO_MANY_ATTEMPTS', 'too many failed sign-ins; wait a few minutes and try again');
	const user = ctx.db.select().from(users).where(eq(users.email, email)).get();
	// Verify against a dummy hash for unknown emails so timing does not reveal which exist.
	const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
	if (!user || !ok) {
		for (const k of keys) ctx.loginLimiter.fail(k, now);
		throw new DomainError('BAD_CREDENTIALS', 'wrong email or password');
	}
	ctx.loginLimiter.reset(`email:${email}`);
	const { token, session } = createSession(ctx.db, user.id, now, ctx.config.sessionLifetimeMs);
	recordAudit(ctx.db, { chatId: null, actor: user.id, kind: 'auth.login', at: now });
	return { token, expiresAt: session.expiresAt, user: publicUser(ctx, user) };
}

const DUMMY_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
