import type { Call } from '../context';
import { sendRequest, type SendRequestInput } from './send-request';

/** C1–C3: pull one more agent (or the first available with a skill) into a live chat. */
export const requestConference = (call: Call<SendRequestInput>) => sendRequest(call, 'conference');
