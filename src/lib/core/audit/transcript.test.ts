import { describe, expect, it } from 'vitest';
import { CHECKSUM_FRAMING, escapeHtml, renderTranscriptHtml, TRANSCRIPT_FORMAT, type TranscriptExport } from './transcript';

const x: TranscriptExport = {
	format: TRANSCRIPT_FORMAT,
	generatedAt: Date.UTC(2026, 10, 25, 12),
	generatedBy: { id: 'audit', name: 'Auditor', role: 'auditor' },
	chat: { id: 'c1', customerId: 'p', originatingAgentId: 'ada', topic: 'Billing', routing: 'omni', customerName: 'Pat <b>', customerEmail: 'pat@example.com', identity: 'new', status: 'ended', createdAt: 0, endedAt: 1000, agents: [] },
	moment: { step: 2, of: 3, time: 500 },
	documents: {
		'chat/c1': {
			seq: 2,
			messages: [
				{ id: 'm1', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: '<script>alert(1)</script>', at: 400 },
				{ id: 'n1', kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text: 'Grace joined the chat', at: 500 }
			],
			participants: { p: { id: 'p', role: 'customer', name: 'Pat', joinedAt: 0 } },
			meta: {}
		},
		'chat/c1/agents': { seq: 0, whispers: [] }
	},
	requests: [],
	workspaces: [{ agentId: 'ada', name: 'Ada', live: true, records: [{ id: 'r1', type: 'case', title: 'Case <1042>' }] }],
	timeline: [],
	log: { algorithm: 'SHA-256', checksum: 'ab'.repeat(32), framing: CHECKSUM_FRAMING, ranges: [{ doc: 'chat/c1', fromSeq: 1, toSeq: 2, updates: 2, bytes: 99 }] }
};

describe('the printable transcript (A3)', () => {
	it('[A3] escapes every value: a message cannot inject markup', () => {
		const html = renderTranscriptHtml(x);
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('Pat &lt;b&gt;');
		expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
	});

	it('[A3] shows the moment, the conversation, and the checksum with its log range', () => {
		const html = renderTranscriptHtml(x);
		expect(html).toContain('step 2 of 3, 1970-01-01T00:00:00.500Z');
		expect(html).toContain('Grace joined the chat');
		expect(html).toContain(`<code data-checksum>${'ab'.repeat(32)}</code>`);
		expect(html).toContain('1–2');
		expect(html).toContain('no whispers');
		expect(html).toContain('Case &lt;1042&gt;');
	});
});
