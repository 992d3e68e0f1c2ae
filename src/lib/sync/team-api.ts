import type { BusinessHours } from '$lib/core/hours';
import type { Presence } from '$lib/core/types';
import type { ChatConfiguration } from './api';
import { enc, request } from './api';

// /admin (issue 16): agents, topics, skills and new configurations (README "Admin console").

export interface TeamAgent {
	id: string;
	name: string;
	email: string;
	/** B6: a supervisor watches its teams' chats (its skills) and is never routed one. */
	role: 'agent' | 'supervisor';
	skills: string[];
	capacity: number;
	configurationId: string | null;
	active: boolean;
	presence?: Presence;
}

export interface TeamTopic {
	id: string;
	name: string;
	skill: string;
	routing: 'omni' | 'button';
	/** B8: when the topic's agents answer; null = always open (set through `setTopicHours`). */
	hours: BusinessHours | null;
}

export interface Team {
	agents: TeamAgent[];
	topics: TeamTopic[];
	/** Every skill an agent or a topic has. */
	skills: string[];
	configurations: { id: string; name: string }[];
}

export type AgentFields = Omit<TeamAgent, 'id' | 'presence'>;

export const teamApi = {
	team: () => request<Team>('GET', '/api/admin/team'),
	createAgent: (fields: AgentFields & { password: string }) => request<{ agent: TeamAgent }>('POST', '/api/admin/agents', fields),
	updateAgent: (id: string, fields: Partial<AgentFields>) => request<{ agent: TeamAgent }>('PUT', `/api/admin/agents/${enc(id)}`, fields),
	createTopic: (fields: Omit<TeamTopic, 'id' | 'hours'>) => request<{ topic: Omit<TeamTopic, 'hours'> }>('POST', '/api/admin/topics', fields),
	updateTopic: (id: string, fields: Partial<Omit<TeamTopic, 'id' | 'hours'>>) => request<{ topic: Omit<TeamTopic, 'hours'> }>('PUT', `/api/admin/topics/${enc(id)}`, fields),
	setTopicHours: (id: string, hours: BusinessHours | null) =>
		request<{ topic: { id: string; hours: BusinessHours | null } }>('PUT', `/api/admin/topics/${enc(id)}/hours`, { hours }),
	createConfiguration: (fields: { name: string; conferenceEnabled: boolean; requestTimeoutSec: number }) =>
		request<{ configuration: ChatConfiguration }>('POST', '/api/admin/chat-configurations', fields)
};
