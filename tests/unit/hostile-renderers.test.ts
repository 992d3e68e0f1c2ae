import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import MessageLog from '$lib/ui/MessageLog.svelte';
import HistoryEntry from '../../src/routes/agent/HistoryEntry.svelte';
import ChatAtMoment from '../../src/routes/audit/ChatAtMoment.svelte';
import type { StateAtMoment } from '../../src/routes/audit/audit-api';
import { hostileCases, unreadableCount } from '../helpers/hostile-messages';

// T2 on the reading side, through the real components: the console's and the customer page's
// log (MessageLog), the agent's history panel (HistoryEntry) and the audit replay
// (ChatAtMoment, with its whispers) rendered by Svelte's server renderer with every hostile
// item between good messages. Duplicate keys only fail in a browser's keyed list: the e2e
// journey (tests/e2e/hostile-messages.test.ts) covers those.

const now = Date.UTC(2026, 10, 25, 10, 4);
const good = (id: string, text: string) => ({ id, kind: 'text', author: { id: 'pat', role: 'customer', name: 'Pat' }, text, at: now });
const cases = hostileCases('good-1', now);
const stored = [good('good-1', 'first good message'), ...cases.map((c) => c.value), good('good-2', 'last good message')];

const count = (html: string, needle: string) => html.split(needle).length - 1;

/** What every renderer must show: the good messages, each readable hostile one, a marker for the rest. */
function expectReadable(html: string) {
	expect(html).toContain('first good message');
	expect(html).toContain('last good message');
	for (const c of cases) if (c.shows !== null) expect(html, c.name).toContain(c.shows);
	expect(count(html, 'unreadable message')).toBe(unreadableCount(cases));
	expect(html).not.toContain('Invalid Date');
	expect(html).not.toContain('from the prototype');
	expect(html).not.toContain('x'.repeat(20_000));
}

describe('renderers fed hostile stored messages (T2)', () => {
	it('[T2] the log of the console and the customer page renders every item in place', () => {
		const { body } = render(MessageLog, { props: { messages: stored, selfId: 'ada', colleagues: true } });
		expectReadable(body);
		// Names isolated, text with its own direction: a U+202E cannot reorder the row.
		expect(body).toMatch(/<bdi class="who[^"]*">\u202EEve<\/bdi>/);
		expect(body).toMatch(/<p class="bubble[^"]*" dir="auto"[^>]*>(?:\s|<!--[^>]*-->)*\u202Ehostile: reversed/);
	});

	it('[B8 rating] the history shows a stored rating as text, and nothing for a rating that is not one', () => {
		const chat = (rating: unknown) => ({ id: 'o', topic: 'Billing', status: 'ended', createdAt: now, endedAt: now, agents: ['Ada'], messages: [], rating });
		const shown = render(HistoryEntry, { props: { chat: chat({ score: 4, comment: '<img src=x onerror=alert(1)>', at: now }) as never } }).body;
		expect(shown).toContain('★★★★☆');
		expect(shown).toContain('&lt;img src=x onerror=alert(1)>');
		expect(shown).not.toContain('<img');
		for (const bad of [{ score: 9, comment: 'x' }, { score: '5' }, null, 'five', { score: 2.5 }]) {
			const body = render(HistoryEntry, { props: { chat: chat(bad) as never } }).body;
			expect(body, JSON.stringify(bad)).not.toContain('data-testid="chat-rating"');
		}
	});

	it('[B8 links] http(s) URLs become links that open apart (noopener noreferrer); every other scheme stays text', () => {
		const texts = [
			'docs at https://example.com/help?a=1&b=<2> now',
			'javascript:alert(1) and JAVASCRIPT://%0aalert(1)',
			'data:text/html,<script>alert(1)</script>',
			'https://example.com\u202Egpj.exe',
			'https://example.com/' + 'a'.repeat(3000)
		];
		const messages = texts.map((text, i) => good(`l${i}`, text));
		for (const [name, component, props] of [
			['log', MessageLog, { messages, selfId: 'ada' }],
			['history', HistoryEntry, { chat: { id: 'o', topic: 'Billing', status: 'ended', createdAt: now, endedAt: now, agents: ['Ada'], messages }, open: true }]
		] as const) {
			const { body } = render(component as never, { props: props as never });
			const anchors = [...body.matchAll(/<a [^>]*>/g)].map((m) => m[0]).filter((a) => !a.includes('class="btn'));
			expect(anchors, name).toEqual([
				'<a href="https://example.com/help?a=1&amp;b=" target="_blank" rel="noopener noreferrer">',
				'<a href="https://example.com/" target="_blank" rel="noopener noreferrer">'
			]);
			expect(body, name).not.toMatch(/href="(javascript|data):/i);
			expect(body, name).not.toContain('<script>');
			expect(body, name).toContain('&lt;script>alert(1)&lt;/script>');
		}
	});

	it('[T2] the agent\'s history panel renders an earlier chat with hostile items', () => {
		const chat = { id: 'old', topic: 'Billing', status: 'ended', createdAt: 1e300, endedAt: null, agents: ['Ada', '\u202EEve'], messages: stored };
		const { body } = render(HistoryEntry, { props: { chat: chat as never } });
		expectReadable(body);
		expect(body).toContain('<bdi>\u202EEve</bdi>');
		expect(body).toContain('date unknown');
	});

	it('[T2][A2] the audit replay renders the chat and its whispers at a moment with hostile items', () => {
		const at = {
			chat: { id: 'c1', customerId: 'pat', originatingAgentId: 'ada', topic: 'Billing', routing: 'omni', customerName: 'Pat', customerEmail: 'pat@example.com', status: 'active', createdAt: now, endedAt: null, agents: [] },
			moment: { step: 3, of: 3, time: now },
			documents: {
				'chat/c1': {
					seq: 3,
					messages: stored,
					participants: { pat: { id: 'pat', role: 'customer', name: 'Pat', joinedAt: 1e300 }, odd: null, eve: { id: 'eve', name: '\u202EEve', joinedAt: now, leftAt: Number.NaN } },
					meta: { status: 'active' }
				},
				'chat/c1/agents': { seq: 2, whispers: [null, { id: 'w1', author: { id: 'ada', name: 'Ada' }, text: 'whisper with a bad time', at: 1e300 }, { id: 'w1', author: 'Ada', text: 'duplicate whisper' }] }
			},
			events: [],
			requests: [],
			workspaces: []
		} as unknown as StateAtMoment;
		const { body } = render(ChatAtMoment, { props: { at, current: null, loading: false } });
		expect(body).toContain('first good message');
		for (const c of cases) if (c.shows !== null) expect(body, c.name).toContain(c.shows);
		expect(body).toContain('whisper with a bad time');
		// The chat's unreadable items, and the two unreadable whispers.
		expect(count(body, 'unreadable message')).toBe(unreadableCount(cases) + 2);
		expect(body).toContain('time unknown');
		expect(body).not.toContain('Invalid Date');
	});
});
