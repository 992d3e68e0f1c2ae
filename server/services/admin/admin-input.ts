import { z } from 'zod';
import type { UserRow } from '../../auth/sessions';
import { DomainError } from '../context';
import { mayCustomize } from './chat-configurations';

// What the admin console's forms send (issue 16), checked the same way everywhere.

/** A skill: a short lower-case name (it is matched exactly against topics' skills). */
export const SkillName = z
	.string()
	.regex(/^[a-z][a-z0-9-]{0,31}$/, 'a skill is 1–32 lower-case letters, digits or dashes, starting with a letter');

export const Skills = z
	.array(SkillName)
	.max(20, 'at most 20 skills')
	.transform((s) => [...new Set(s)].sort());

export const Email = z.string().trim().toLowerCase().max(254).email('not an email address');

/** Only users with Customize Application change the team's set-up. */
export function requireCustomize(user: UserRow) {
	if (!mayCustomize(user)) throw new DomainError('FORBIDDEN', 'this needs the Customize Application permission');
}
