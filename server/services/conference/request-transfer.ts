import type { Call } from '../context';
import { sendRequest, type SendRequestInput } from './send-request';

/** L4/C14: hand the chat over to an agent or a skill; on accept the requester leaves. */
export const requestTransfer = (call: Call<SendRequestInput>) => sendRequest(call, 'transfer');
