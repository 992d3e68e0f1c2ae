import { readMessage, UNREADABLE } from '../display-message';
import * as ROOT from '../doc-roots';
import type { ChangeRefs, DocChange } from './types';

// A2: one logged update in words — "Pat: message “hello”", "server: participant Grace joined" —
// with a kind for filtering and the ids it touched for highlighting.

const QUOTE_MAX = 80;

/** Bidi controls: an override or embedding in quoted text would reorder the rest of the summary. */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * "hello" → “hello”, long texts cut with an ellipsis, whitespace runs collapsed. Text holding
 * bidi controls is wrapped in FSI … PDI, so it cannot reorder the summary around it (T2).
 */
export function quote(text: string, max = QUOTE_MAX): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	const cut = flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
	return BIDI_CONTROL.test(cut) ? `“\u2068${cut}\u2069”` : `“${cut}”`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = '?') => (typeof v === 'string' && v ? v : fallback);

interface Phrase {
	kind: string;
	text: string;
	/** Lower ranks win the update's kind (a join beats its notice). */
	rank: number;
}

function messagePhrases(change: DocChange): Phrase[] {
	if (change.op !== 'insert' && change.op !== 'remove') return [{ kind: 'update', text: `${change.root} changed`, rank: 9 }];
	return change.values.map((v) => {
		// Read as the replay reads it (T2): an item it shows as unreadable is named so here too.
		const m = readMessage(v, '');
		const system = m.kind === 'system';
		const label = system ? 'notice' : 'message';
		const what = m.kind === 'unreadable' ? UNREADABLE : `${label} ${quote(m.text)}`;
		return change.op === 'insert'
			? { kind: label, text: what, rank: system ? 2 : 1 }
			: { kind: `${label}.removed`, text: `removed ${what}`, rank: 1 };
	});
}

function participantPhrase(change: DocChange): Phrase {
	if (change.op === 'unset') {
		const old = isRecord(change.old) ? change.old : {};
		return { kind: 'participant.removed', text: `participant ${str(old.name, change.key)} removed`, rank: 0 };
	}
	if (change.op !== 'set') return { kind: 'update', text: 'participants changed', rank: 9 };
	const now = isRecord(change.value) ? change.value : {};
	const old = isRecord(change.old) ? change.old : null;
	const name = str(now.name, change.key);
	if (!change.existed || !old) return { kind: 'participant.joined', text: `participant ${name} joined`, rank: 0 };
	if (now.leftAt !== undefined && old.leftAt === undefined)
		return { kind: 'participant.left', text: `participant ${name} left`, rank: 0 };
	if (now.leftAt === undefined && old.leftAt !== undefined)
		return { kind: 'participant.joined', text: `participant ${name} rejoined`, rank: 0 };
	return { kind: 'participant.updated', text: `participant ${name} updated`, rank: 3 };
}

function metaPhrase(change: DocChange): Phrase | null {
	if (change.op === 'set') {
		// The server re-asserts a value ("active" on every join): not a change worth a word.
		if (change.existed && JSON.stringify(change.old) === JSON.stringify(change.value)) return null;
		const value = typeof change.value === 'string' || typeof change.value === 'number' || typeof change.value === 'boolean'
			? String(change.value)
			: JSON.stringify(change.value);
		return change.key === 'status'
			? { kind: 'status', text: `status → ${value}`, rank: 1.5 }
			: { kind: 'meta', text: `${change.key} → ${value}`, rank: 4 };
	}
	if (change.op === 'unset') return { kind: 'meta', text: `${change.key} cleared`, rank: 4 };
	return { kind: 'meta', text: 'meta changed', rank: 4 };
}

function whisperPhrases(change: DocChange): Phrase[] {
	if (change.op !== 'insert' && change.op !== 'remove') return [{ kind: 'update', text: `${change.root} changed`, rank: 9 }];
	return change.values.map((v) => {
		const w = isRecord(v) ? v : {};
		return change.op === 'insert'
			? { kind: 'whisper', text: `whisper ${quote(str(w.text, ''))}`, rank: 1 }
			: { kind: 'whisper.removed', text: `removed whisper ${quote(str(w.text, ''))}`, rank: 1 };
	});
}

function genericPhrase(change: DocChange): Phrase {
	switch (change.op) {
		case 'text': {
			const inserted = change.delta.reduce((n, d) => n + ('insert' in d ? d.insert.length : 0), 0);
			const deleted = change.delta.reduce((n, d) => n + ('delete' in d ? d.delete : 0), 0);
			return { kind: `${change.root}.edited`, text: `${change.root} edited (+${inserted} −${deleted})`, rank: 5 };
		}
		case 'insert':
			return { kind: `${change.root}.added`, text: `${change.root}: ${change.values.length} added`, rank: 6 };
		case 'remove':
			return { kind: `${change.root}.removed`, text: `${change.root}: ${change.count} removed`, rank: 6 };
		case 'set':
			return { kind: `${change.root}.set`, text: `${change.root}.${change.key} set`, rank: 6 };
		case 'unset':
			return { kind: `${change.root}.unset`, text: `${change.root}.${change.key} removed`, rank: 6 };
		default: {
			const never: never = change;
			throw new Error(`unknown change ${JSON.stringify(never)}`);
		}
	}
}

function phrasesOf(change: DocChange): Phrase[] {
	switch (change.root) {
		case ROOT.MESSAGES:
			return messagePhrases(change);
		case ROOT.PARTICIPANTS:
			return [participantPhrase(change)];
		case ROOT.META: {
			const p = metaPhrase(change);
			return p ? [p] : [];
		}
		case ROOT.WHISPERS:
			return whisperPhrases(change);
		default:
			return [genericPhrase(change)];
	}
}

function refsOf(changes: readonly DocChange[]): ChangeRefs | undefined {
	const refs: ChangeRefs = {};
	const add = (key: keyof ChangeRefs, id: unknown) => {
		if (typeof id === 'string') (refs[key] ??= []).push(id);
	};
	for (const c of changes) {
		if (c.op === 'insert' && (c.root === ROOT.MESSAGES || c.root === ROOT.WHISPERS))
			for (const v of c.values) add(c.root, isRecord(v) ? v.id : undefined);
		if ((c.op === 'set' || c.op === 'unset') && c.root === ROOT.PARTICIPANTS) add(ROOT.PARTICIPANTS, c.key);
	}
	return Object.keys(refs).length > 0 ? refs : undefined;
}

/**
 * A2: describes one logged update from the changes it made. `writer` is the prefix — the
 * client's name for a client write, "server" for a write of the authority.
 */
export function describeDocUpdate(changes: readonly DocChange[], writer: string): { kind: string; summary: string; refs?: ChangeRefs } {
	const phrases = changes.flatMap(phrasesOf);
	if (phrases.length === 0) return { kind: 'no-change', summary: `${writer}: no visible change` };
	const lead = phrases.reduce((best, p) => (p.rank < best.rank ? p : best));
	const refs = refsOf(changes);
	return { kind: lead.kind, summary: `${writer}: ${phrases.map((p) => p.text).join('; ')}`, ...(refs ? { refs } : {}) };
}

const authoredBy = (v: unknown, actor: string) => isRecord(v) && isRecord(v.author) && v.author.id === actor;

/**
 * What a client may write as itself (README "Write policy"): append its own text messages or
 * whispers, edit a shared text. Anything else in an update can only come from the server.
 */
export function serverOnly(changes: readonly DocChange[], actor: string): boolean {
	return changes.some((c) => {
		if (c.op === 'text') return false;
		if (c.op !== 'insert') return true;
		if (c.root === ROOT.MESSAGES) return !c.values.every((v) => authoredBy(v, actor) && isRecord(v) && v.kind === 'text');
		if (c.root === ROOT.WHISPERS) return !c.values.every((v) => authoredBy(v, actor));
		return true;
	});
}

/**
 * A1: tells the server's own writes (made on behalf of `actor`) from clients' writes. A Yjs
 * clientID is the server's when any update it wrote was logged as 'server', was logged for two
 * different actors (a client's clientID is bound to one user), or changed something only the
 * server may change. A delete-only update carries no clientID: it is the server's, except text
 * deleted from the shared draft by a client (B3; the server logs its own, a sent draft, as 'server').
 */
export function writersOf(updates: readonly { actor: string; clients: readonly number[]; changes: readonly DocChange[] }[]): ('client' | 'server')[] {
	const actorOf = new Map<number, string>();
	const server = new Set<number>();
	for (const u of updates) {
		const only = u.actor === 'server' || serverOnly(u.changes, u.actor);
		for (const c of u.clients) {
			const seen = actorOf.get(c);
			if (only || (seen !== undefined && seen !== u.actor)) server.add(c);
			actorOf.set(c, u.actor);
		}
	}
	const draftDelete = (u: (typeof updates)[number]) =>
		u.actor !== 'server' && u.changes.length > 0 && u.changes.every((c) => c.op === 'text' && c.root === ROOT.DRAFT);
	return updates.map((u) =>
		u.clients.length === 0 ? (draftDelete(u) ? 'client' : 'server') : u.clients.some((c) => server.has(c)) ? 'server' : 'client'
	);
}
