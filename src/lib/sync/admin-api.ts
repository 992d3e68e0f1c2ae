import type { ChatConfiguration } from './api';
import { enc, request } from './api';

// /admin: chat configurations (C1's switch, the request timeout, who is assigned).

export interface StaffAgent {
	id: string;
	name: string;
	email: string;
}

export interface ConfigurationRow extends ChatConfiguration {
	agents: StaffAgent[];
}

export interface ConfigurationList {
	configurations: ConfigurationRow[];
	agents: StaffAgent[];
	/** Only users with Customize Application may edit; `reason` says why not. */
	canEdit: boolean;
	reason: string | null;
}

export interface ConfigurationChange {
	conferenceEnabled?: boolean;
	requestTimeoutSec?: number;
	agentIds?: string[];
}

export const adminApi = {
	configurations: () => request<ConfigurationList>('GET', '/api/admin/chat-configurations'),
	update: (id: string, change: ConfigurationChange) =>
		request<{ configuration: ConfigurationRow }>('PUT', `/api/admin/chat-configurations/${enc(id)}`, change)
};
