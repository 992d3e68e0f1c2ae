import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import { DomainError, type Call } from '../context';
import { requireAgent } from '../identity/require';

/** C5: the requester dismisses a banner (its agent document is read-only, so the server removes it). */
export async function dismissBanner({ ctx, input }: Call<{ bannerId: string }>) {
	const agent = requireAgent(ctx.actor);
	const { bannerId } = input;
	return ctx.decide(async (ctx) => {
		let found = false;
		await ctx.docs.change(docNames.agent(agent.id), agent.id, (doc) => {
			const banners = doc.getMap(ROOT.BANNERS);
			found = banners.has(bannerId);
			if (found) banners.delete(bannerId);
		});
		if (!found) throw new DomainError('NOT_FOUND', 'no such banner');
		return { ok: true };
	});
}
