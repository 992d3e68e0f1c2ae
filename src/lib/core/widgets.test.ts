import { describe, expect, it } from 'vitest';
import { checkOrigin, isWidgetColour, originAllowedFor, parseToFrame } from './widgets';

describe('[#15 B7] widget origins', () => {
	it('accepts exact http(s) origins as the browser writes them', () => {
		for (const o of ['https://shop.example', 'http://localhost:8080', 'http://127.0.0.1:5173', 'https://xn--bcher-kva.example'])
			expect(checkOrigin(o)).toEqual({ ok: true, value: o });
	});
	it('refuses anything that is not an exact origin', () => {
		for (const o of [
			'', '*', 'https://*.example', 'https://shop.example/', 'https://shop.example/path', 'https://shop.example?x',
			'ftp://shop.example', 'javascript:alert(1)', 'https://user@shop.example', 'https://SHOP.example',
			'https://shop.example:443', 'http://shop.example:80', 'shop.example', 'https://shop example', 'null',
			"https://a.example 'unsafe-inline'", 'https://a.example;script-src *', 'https://a.example\n'
		])
			expect(checkOrigin(o).ok, o).toBe(false);
	});
	it('matches only exact origins', () => {
		const allowed = ['https://shop.example'];
		expect(originAllowedFor(allowed, 'https://shop.example')).toBe(true);
		for (const o of ['https://shop.example.evil', 'http://shop.example', 'https://evil.example', '', null, undefined, 'null'])
			expect(originAllowedFor(allowed, o)).toBe(false);
	});
	it('takes only hex colours', () => {
		expect(isWidgetColour('#0af')).toBe(true);
		expect(isWidgetColour('#00AAFF')).toBe(true);
		for (const c of ['red', '#12', 'url(x)', '#0af;background:url(x)', '#0aff0aa']) expect(isWidgetColour(c)).toBe(false);
	});
});

describe('[#15 B7] what the loader hands the widget page', () => {
	it('keeps only well-formed messages', () => {
		expect(parseToFrame({ type: 'parley:init', chat: { id: 'c1', token: 't' }, identity: null, open: true })).toEqual({
			type: 'parley:init', chat: { id: 'c1', token: 't' }, identity: null, open: true
		});
		expect(parseToFrame({ type: 'parley:init', chat: { id: 1, token: {} }, identity: { email: 'a@b.c' }, open: 'yes' })).toEqual({
			type: 'parley:init', chat: null, identity: null, open: false
		});
		// Issue 15: a chat left for a new one comes back `anew` (the form, not that chat, on a reload).
		expect(parseToFrame({ type: 'parley:init', chat: { id: 'c1', token: 't', anew: true }, identity: null, open: false })).toMatchObject({
			chat: { id: 'c1', token: 't', anew: true }
		});
		expect(parseToFrame({ type: 'parley:init', chat: { id: 'c1', token: 't', anew: 'yes', seen: -1 }, identity: null, open: false })).toMatchObject({
			chat: { id: 'c1', token: 't' }
		});
		// The unread badge's memory: the chat's end and how many messages the visitor has seen.
		expect(parseToFrame({ type: 'parley:init', chat: { id: 'c1', token: 't', ended: true, seen: 3 }, identity: null, open: false })).toMatchObject({
			chat: { id: 'c1', token: 't', ended: true, seen: 3 }
		});
		expect(parseToFrame({ type: 'parley:init', chat: { id: 'c1', token: 't', ended: 1, seen: 2.5 }, identity: null, open: false })).toEqual({
			type: 'parley:init', chat: { id: 'c1', token: 't' }, identity: null, open: false
		});
		for (const junk of [null, 'parley:init', 42, {}, { type: 'parley:chat' }, { type: '__proto__' }]) expect(parseToFrame(junk)).toBeNull();
		expect(parseToFrame({ type: 'parley:identify', identity: { email: 'a@b.c', name: 'A', signature: 'x'.repeat(201) } })).toEqual({
			type: 'parley:identify', identity: null
		});
	});
});
