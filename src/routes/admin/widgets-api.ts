import { enc, request } from '$lib/sync/request';

// /admin: the embeddable widgets (README "Widget"). Admins only.

export interface Widget {
	id: string;
	name: string;
	key: string;
	allowedOrigins: string[];
	topics: string[];
	greeting: string;
	colour: string;
	createdAt: number;
}

export interface WidgetInput {
	name: string;
	allowedOrigins: string[];
	topics: string[];
	greeting?: string;
	colour?: string;
}

export const widgetsApi = {
	list: () => request<{ widgets: Widget[] }>('GET', '/api/admin/widgets'),
	/** The only answer that carries the signing secret. */
	create: (input: WidgetInput) => request<{ widget: Widget & { secret: string } }>('POST', '/api/admin/widgets', input),
	update: (id: string, input: Partial<WidgetInput>) => request<{ widget: Widget }>('PUT', `/api/admin/widgets/${enc(id)}`, input),
	/** A new signing secret (the old one stops working); the only other answer that carries one. */
	rotateSecret: (id: string) => request<{ widget: Widget & { secret: string } }>('POST', `/api/admin/widgets/${enc(id)}/secret`),
	remove: (id: string) => request<{ deleted: string }>('DELETE', `/api/admin/widgets/${enc(id)}`)
};
