import type { Ctx, Identity } from '../context';
import { sendRequest } from './send-request';

/** C1–C3: pull one more agent (or the first available with a skill) into a live chat. */
export const requestConference = (ctx: Ctx, identity: Identity | null, chatId: string, input: unknown) =>
	sendRequest(ctx, identity, chatId, input, 'conference');
