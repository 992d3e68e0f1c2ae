import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { createSession } from '../../auth/sessions';
import { verifyPassword } from '../../auth/passwords';
import { users } from '../../db/schema';
import { recordAudit } from '../audit';
import { DomainError, type Ctx } from '../context';
import { parseInput } from '../input';
import { publicUser } from './public-user';
import { waitText } from '../chats/wait-text';

const Input = z.object({
	email: z.string().trim().toLowerCase().min(1, 'required').max(254),
	password: z.string().min(1, 'required').max(200)
});

/**
 * Email + password sign-in. T3: failed attempts are counted per source (the keyed client address)
 * and per source + email; a source past either limit is refused before its password is looked at,
 * so it learns nothing more, while the same account signs in from anywhere else.
 */
export async function login(ctx: Ctx, input: unknown, source: string) {
	const { email, password } = parseInput(Input, input);
	const now = ctx.now();
	const waitMs = ctx.loginLimiter.waitMs(source, email, now);
	if (waitMs > 0) {
		throw new DomainError(
			'TOO_MANY_ATTEMPTS',
			`too many failed sign-ins from your network; please try again in ${waitText(waitMs)}`,
			Math.ceil(waitMs / 1000)
		);
	}
	ctx.loginLimiter.attempt(source, email, now);
	const user = ctx.db.select().from(users).where(eq(users.email, email)).get();
	// Verify against a dummy hash for unknown emails so timing does not reveal which exist.
	const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
	if (!user || !ok) throw new DomainError('BAD_CREDENTIALS', 'wrong email or password');
	ctx.loginLimiter.succeeded(source, email, now);
	const { token, session } = createSession(ctx.db, user.id, now, ctx.config.sessionLifetimeMs);
	recordAudit(ctx.db, { chatId: null, actor: user.id, kind: 'auth.login', at: now });
	return { token, expiresAt: session.expiresAt, user: publicUser(ctx, user) };
}

const DUMMY_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
