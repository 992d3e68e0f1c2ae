import { describe, expect, it } from 'vitest';
import { docAccess } from './access';
import { parseDocName } from './doc-name';

const ref = (name: string) => {
	const r = parseDocName(name);
	if (!r) throw new Error(name);
	return r;
};
const active = { status: 'active' as const, activeAgentIds: ['ada'] };
const ended = { status: 'ended' as const, activeAgentIds: ['ada'] };
const customerOf = (chatId: string) => ({ kind: 'customer' as const, chatId });
const user = (id: string, role: 'agent' | 'admin' | 'auditor' = 'agent') => ({ kind: 'user' as const, id, role });

describe('who may sync which document', () => {
	it('[access] the chat document: its customer and its agents write; others nothing', () => {
		expect(docAccess(ref('chat/c1'), customerOf('c1'), active)).toBe('write');
		expect(docAccess(ref('chat/c1'), customerOf('c2'), active)).toBeNull();
		expect(docAccess(ref('chat/c1'), user('ada'), active)).toBe('write');
		expect(docAccess(ref('chat/c1'), user('grace'), active)).toBeNull();
		expect(docAccess(ref('chat/c1'), user('audit', 'auditor'), active)).toBeNull();
		expect(docAccess(ref('chat/c1'), user('ada', 'admin'), active)).toBeNull();
	});

	it('[access] an ended chat is read-only', () => {
		expect(docAccess(ref('chat/c1'), customerOf('c1'), ended)).toBe('read');
		expect(docAccess(ref('chat/c1'), user('ada'), ended)).toBe('read');
	});

	it('[access] the agents document never reaches the customer; its agents write it (B2, B3)', () => {
		expect(docAccess(ref('chat/c1/agents'), customerOf('c1'), active)).toBeNull();
		expect(docAccess(ref('chat/c1/agents'), user('ada'), active)).toBe('write');
		expect(docAccess(ref('chat/c1/agents'), user('grace'), active)).toBeNull();
	});

	it('[access] an agent document is read-only and only for that agent', () => {
		expect(docAccess(ref('agent/ada'), user('ada'), null)).toBe('read');
		expect(docAccess(ref('agent/ada'), user('grace'), null)).toBeNull();
		expect(docAccess(ref('agent/ada'), customerOf('c1'), null)).toBeNull();
	});

	it('[access] document names outside the three kinds are not documents', () => {
		for (const bad of ['chat', 'chat/', 'chat/a/b', 'agent/../x', 'other/x', 'chat/a b'])
			expect(parseDocName(bad)).toBeNull();
	});
});
