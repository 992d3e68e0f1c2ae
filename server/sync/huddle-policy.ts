import * as ROOT from '../../src/lib/core/doc-roots';
import type { SyncPrincipal } from '../../src/lib/core/access';
import { checkClientWhisper, MAX_DRAFT_TEXT } from '../../src/lib/core/whisper-policy';
import type { PolicyInput } from './write-policy';

/**
 * B2, B3: what a writer may change in `chat/<id>/agents`: append its own whispers (checked like
 * messages), and, unless it only watches (a supervisor), edit the shared draft as plain text.
 */
export function huddleRules(principal: SyncPrincipal): Pick<PolicyInput, 'checkElement' | 'plainText'> {
	return {
		checkElement: checkClientWhisper,
		...(principal.draft !== true ? {} : { plainText: { root: ROOT.DRAFT, maxLength: MAX_DRAFT_TEXT } })
	};
}
