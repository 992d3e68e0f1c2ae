import { z } from 'zod';
import { originAllowedFor } from '../../../src/lib/core/widgets';
import { startChat } from '../chats/start-chat';
import { DomainError, type Call } from '../context';
import { parseInput } from '../input';
import { signatureValid } from './signature';
import { widgetByKey } from './widget-rows';

const Input = z
	.object({
		/** The embedding page's origin, as the widget page received it from the browser (`event.origin`). */
		site: z.string().max(300),
		name: z.string().max(1000).optional(),
		email: z.string().max(1000).optional(),
		topic: z.string().max(64),
		token: z.string().max(256).optional(),
		identity: z
			.object({ email: z.string().max(254), name: z.string().max(1000), signature: z.string().max(200) })
			.strict()
			.optional()
	})
	.strict();

/**
 * B7: a visitor starts a chat in a widget: only on a site allowed to embed it (else FORBIDDEN),
 * only on its topics. T4: with `identity` signed by the site (hex HMAC-SHA256 of the email with
 * the widget's secret) the chat is `signed` and linked to the email's customer; a signature that
 * does not match refuses the start (BAD_INPUT), and nothing is created.
 */
export async function startWidgetChat({ ctx, input }: Call<{ key: string; body: unknown; source: string }>) {
	const body = parseInput(Input, input.body);
	const widget = await widgetByKey(ctx.store, input.key);
	if (!originAllowedFor(widget.allowedOrigins, body.site))
		throw new DomainError('FORBIDDEN', `site: ${body.site.slice(0, 100) || '(none)'} may not embed this widget`);
	const id = body.identity;
	if (id && !signatureValid(id.email, id.signature, widget.secret))
		throw new DomainError('BAD_INPUT', "signature: does not sign this email (hex HMAC-SHA256 of the email with the widget's secret)");
	const start = { name: id ? id.name : body.name, email: id ? id.email : body.email, topic: body.topic, token: body.token };
	const result = await startChat({
		ctx,
		input: { body: start, source: input.source, widget: { id: widget.id, topics: widget.topics, signed: !!id } }
	});
	return { ...result, signed: !!id };
}
