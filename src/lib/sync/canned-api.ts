import type { CannedReply, CannedScope } from '$lib/core/canned';
import { enc, request } from './api';

// Canned replies (issue 16, README "Canned replies"): the composer's `/` list, an agent's own
// replies, and the admin's team-wide ones.

export const cannedApi = {
	list: () => request<{ replies: CannedReply[] }>('GET', '/api/canned-replies'),
	create: (scope: CannedScope, title: string, body: string) =>
		request<{ reply: CannedReply }>('POST', '/api/canned-replies', { scope, title, body }),
	update: (id: string, fields: { title?: string; body?: string }) =>
		request<{ reply: CannedReply }>('PUT', `/api/canned-replies/${enc(id)}`, fields),
	remove: (id: string) => request<{ deleted: string }>('DELETE', `/api/canned-replies/${enc(id)}`)
};
