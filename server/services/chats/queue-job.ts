import { smtpMailer, type Mailer } from '../../mail/mailer';
import type { Ctx } from '../context';
import { mailReplies } from './mail-replies';
import { publishQueue } from './publish-queue';

/** The mailer of the configuration: none without an SMTP URL. */
export function mailerOf(mail: { smtpUrl?: string | null; from?: string }): Mailer | null {
	return mail.smtpUrl ? smtpMailer(mail.smtpUrl, mail.from ?? 'Parley <parley@localhost>') : null;
}

/**
 * How each part of a run is kept to one instance at a time (B5: several instances on one
 * database; the caller takes a lock per part). Alone: just run it.
 */
export interface OnceAcrossInstances {
	publish(work: () => Promise<void>): Promise<void>;
	mail(work: () => Promise<void>): Promise<void>;
}
const ALWAYS: OnceAcrossInstances = { publish: (work) => work(), mail: (work) => work() };

/**
 * B8: every `everyMs`, the queue is published again (a wait passes the give-up time, a topic
 * opens or closes) and agents' replies to left messages are emailed. Never two runs at once.
 */
export function startQueueJob(system: Ctx, everyMs: number, once: OnceAcrossInstances = ALWAYS) {
	let running: Promise<void> | null = null;
	const run = async () => {
		try {
			await once.publish(() => system.decide((ctx) => publishQueue(ctx)));
			if (system.config.mail) await once.mail(() => mailReplies({ ctx: system }));
		} catch (err) {
			system.log.error({ err }, 'queue job failed');
		}
	};
	const timer = setInterval(() => {
		if (!running) running = run().finally(() => (running = null));
	}, everyMs);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}
