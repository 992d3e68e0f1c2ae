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
	attachments: [],
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

describe('the printable transcript of a document holding anything (T2)', () => {
	const hostile: unknown[] = [
		{ id: 'm1', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'before', at: 400 },
		null,
		42,
		'just a string',
		[1, 2],
		{ id: 'm1', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'same id again', at: 401 },
		{ id: 'big', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'time bomb', at: 8.64e15 + 1 },
		{ id: 'huge', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'far future', at: 1e300 },
		{ id: 'neg', kind: 'text', author: 'Pat', text: 'author a string', at: -5 },
		{ id: 'k', kind: 'poll', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'unknown kind', at: 402 },
		{ id: 'x', kind: 'text', author: { id: 'p', role: 'customer', name: { toString: 'boom' } }, text: { toString: 'boom' }, at: 403 },
		{ id: 'rlo', kind: 'text', author: { id: 'e', role: 'customer', name: '\u202Eevil' }, text: '\u202Ereversed', at: 404 },
		{ id: 'm2', kind: 'text', author: { id: 'p', role: 'customer', name: 'Pat' }, text: 'after', at: 405 }
	];
	const bad: TranscriptExport = {
		...x,
		documents: {
			'chat/c1': {
				seq: 9,
				messages: hostile,
				participants: { p: { id: 'p', role: 'customer', name: 'Pat', joinedAt: 1e300, leftAt: { toString: 'x' } }, q: null },
				meta: {}
			},
			'chat/c1/agents': { seq: 1, whispers: [null, { id: 'w1', author: { id: 'ada', name: 'Ada' }, text: 'psst', at: Number.NaN }] }
		}
	};

	it('[T2][A3] renders: good rows around the bad ones, each bad one "unreadable message", bad times left blank', () => {
		const html = renderTranscriptHtml(bad);
		const rows = html.slice(html.indexOf('<h2>Conversation</h2>'), html.indexOf('<h2>Agent whispers')).match(/<tr[ >].*<\/tr>/g)!.slice(1);
		expect(rows).toHaveLength(hostile.length);
		const texts = rows.map((r) => (r.includes('unreadable message') ? 'UNREADABLE' : /<td class="text" dir="auto">(.*?)<\/td>/.exec(r)?.[1]));
		expect(texts).toEqual(['before', 'UNREADABLE', 'UNREADABLE', 'UNREADABLE', 'UNREADABLE', 'same id again', 'time bomb', 'far future', 'UNREADABLE', 'UNREADABLE', 'UNREADABLE', '\u202Ereversed', 'after']);
		expect(rows[6]).toContain('<td class="t"></td>');
		expect(html).toContain('psst');
		expect(html).not.toContain('Invalid');
	});

	it('[T2][A3] names are bidi-isolated and message text has its own direction', () => {
		const html = renderTranscriptHtml(bad);
		expect(html).toContain('<bdi>\u202Eevil</bdi>');
		expect(html).toContain('<td class="text" dir="auto">\u202Ereversed</td>');
		expect(html).toContain('<bdi>Pat &lt;b&gt;</bdi>');
	});
});
