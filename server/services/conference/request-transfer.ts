import type { Ctx, Identity } from '../context';
import { sendRequest } from './send-request';

/** L4/C14: hand the chat over to an agent or a skill; on accept the requester leaves. */
export const requestTransfer = (ctx: Ctx, identity: Identity | null, chatId: string, input: unknown) =>
	sendRequest(ctx, identity, chatId, input, 'transfer');
