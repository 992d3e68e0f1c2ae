import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Bus, Unsubscribe } from '../bus/bus';
import type { LogRow } from '../storage/update-log';
import type { RemoteRow } from './catch-up';
import type { ErrorSink } from './error-sink';
import { decodeAction, encodeAction, type SocketAction } from './socket-actions';

// B5 (issue 13): the live documents of several instances kept in step through the bus. The log
// is the truth; the bus only makes it fast. Each committed row is published after its commit
// (seq, bytes, the clientID owners it bound); an instance holding that document applies it in
// seq order (CatchUp), and reads the log on a gap, after a reconnect to the bus, and on a
// periodic check of every loaded document's last seq (a publish that failed tells nobody).

/** The channel every instance's committed rows go to (with the bus's prefix before it). */
export const UPDATES_CHANNEL = 'doc-updates';
/** Awareness (presence, typing) of each instance's clients, and asks for it (B5, step 3). */
export const AWARENESS_CHANNEL = 'doc-awareness';
/** Socket actions every instance does to its own sockets (B5, step 4). */
export const ACTIONS_CHANNEL = 'socket-actions';
const AWARENESS_UPDATE = 0;
const AWARENESS_QUERY = 1;
/** How often each loaded document's last seq is compared with the log's (README "Scaling out"). */
export const CHECK_EVERY_MS = 5000;

/** A row committed here, for the other instances. */
export interface CommittedRow {
	doc: string;
	seq: number;
	update: Uint8Array;
	/** ClientIDs first bound by this row, with their owner. */
	owners: readonly (readonly [number, string])[];
}

/** What the fan-out needs of the registry. */
export interface FannedDocs {
	/** A row of another instance for `doc` (ignored when it is not loaded here). */
	remote(doc: string, row: RemoteRow): void;
	/** Awareness of another instance's clients for `doc` (ignored when it is not loaded here). */
	remoteAwareness(doc: string, update: Uint8Array): void;
	/** The awareness update of our own clients of `doc` (null: not loaded here, or none). */
	localAwareness(doc: string): Uint8Array | null;
	/** Every loaded document catches up from the log. */
	catchUpAll(): Promise<void>;
	/** Compares each loaded document's seq with the log's and catches up the ones behind. */
	checkAll(): Promise<void>;
}

/** The rows of a committed decision, for the other instances (the server's new clientIDs with the first). */
export function publishHeld(publish: (row: CommittedRow) => void, held: { rows: readonly LogRow[]; bindings: readonly number[] }) {
	held.rows.forEach((r, i) => {
		const owners = i === 0 ? held.bindings.map((id) => [id, 'server'] as const) : [];
		publish({ doc: r.doc, seq: r.seq, update: r.update, owners });
	});
}

export function encodeRow(instance: string, row: CommittedRow): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarString(e, instance);
	encoding.writeVarString(e, row.doc);
	encoding.writeVarUint(e, row.seq);
	encoding.writeVarUint8Array(e, row.update);
	encoding.writeVarUint(e, row.owners.length);
	for (const [id, owner] of row.owners) {
		encoding.writeVarUint(e, id);
		encoding.writeVarString(e, owner);
	}
	return encoding.toUint8Array(e);
}

export function decodeRow(bytes: Uint8Array): { instance: string; row: CommittedRow } {
	const d = decoding.createDecoder(bytes);
	const instance = decoding.readVarString(d);
	const doc = decoding.readVarString(d);
	const seq = decoding.readVarUint(d);
	const update = decoding.readVarUint8Array(d);
	const owners: [number, string][] = [];
	for (let n = decoding.readVarUint(d); n > 0; n--) owners.push([decoding.readVarUint(d), decoding.readVarString(d)]);
	return { instance, row: { doc, seq, update, owners } };
}

/**
 * This instance's end of the fan-out: publishes what it commits, applies what others commit.
 * A failed publish is logged (once per outage) and forgotten: the others catch up from the log.
 */
export class FanOut {
	private unsubscribe: Unsubscribe | null = null;
	private unsubscribeAwareness: Unsubscribe | null = null;
	private unsubscribeActions: Unsubscribe | null = null;
	private stopReconnect: (() => void) | null = null;
	private timer: NodeJS.Timeout | null = null;
	private checking = false;
	private publishFailing = false;

	constructor(
		private readonly bus: Bus,
		/** This instance's name on the bus: its own rows come back to it and are skipped. */
		readonly instance: string,
		private readonly docs: FannedDocs,
		private readonly onError: ErrorSink,
		/** A socket action another instance published, to do here. */
		private readonly onAction: (action: SocketAction) => void,
		private readonly checkEveryMs = CHECK_EVERY_MS
	) {}

	async start() {
		this.unsubscribe = await this.bus.subscribe(UPDATES_CHANNEL, (bytes) => this.receive(bytes));
		this.unsubscribeAwareness = await this.bus.subscribe(AWARENESS_CHANNEL, (bytes) => this.receiveAwareness(bytes));
		this.unsubscribeActions = await this.bus.subscribe(ACTIONS_CHANNEL, (bytes) => {
			const got = decodeAction(bytes);
			if (!got) return this.onError('an unreadable socket action on the bus', new Error('bad message'));
			if (got.instance !== this.instance) this.onAction(got.action);
		});
		this.stopReconnect = this.bus.onReconnect(() => {
			this.docs.catchUpAll().catch((err) => this.onError('catching up after a bus reconnect failed', err));
		});
		this.timer = setInterval(() => void this.check(), this.checkEveryMs);
		this.timer.unref();
	}

	/** Whether the last publish failed (for GET /api/ready; the next one that works clears it). */
	get failing(): boolean {
		return this.publishFailing;
	}

	publish(row: CommittedRow) {
		this.bus.publish(UPDATES_CHANNEL, encodeRow(this.instance, row)).then(
			() => (this.publishFailing = false),
			(err) => {
				if (this.publishFailing) return;
				this.publishFailing = true; // once per outage, not once per update
				this.onError('publishing an update on the bus failed (other instances catch up from the database)', err);
			}
		);
	}

	/**
	 * A socket action done here, for the others. Lost while the bus is down: a socket left open
	 * there meets the database at its next admission (and the session check every minute).
	 */
	publishAction(action: SocketAction) {
		this.bus.publish(ACTIONS_CHANNEL, encodeAction(this.instance, action)).catch((err) => this.onError('publishing a socket action failed', err));
	}

	/** What our clients of `doc` announce (or their leaving). Lost when the bus is down: awareness is renewed every 15 s. */
	publishAwareness(doc: string, update: Uint8Array) {
		this.sendAwareness(AWARENESS_UPDATE, doc, update);
	}

	/** A document loaded here: the instances that hold it send their clients' awareness. */
	askAwareness(doc: string) {
		this.sendAwareness(AWARENESS_QUERY, doc, new Uint8Array());
	}

	private sendAwareness(kind: number, doc: string, update: Uint8Array) {
		const e = encoding.createEncoder();
		encoding.writeVarString(e, this.instance);
		encoding.writeVarUint(e, kind);
		encoding.writeVarString(e, doc);
		encoding.writeVarUint8Array(e, update);
		this.bus.publish(AWARENESS_CHANNEL, encoding.toUint8Array(e)).catch(() => {}); // lost awareness is renewed
	}

	private receiveAwareness(bytes: Uint8Array) {
		let instance, kind, doc, update;
		try {
			const d = decoding.createDecoder(bytes);
			instance = decoding.readVarString(d);
			kind = decoding.readVarUint(d);
			doc = decoding.readVarString(d);
			update = decoding.readVarUint8Array(d);
		} catch (err) {
			return this.onError('an undecodable awareness message on the bus', err);
		}
		if (instance === this.instance) return;
		if (kind === AWARENESS_UPDATE) return this.docs.remoteAwareness(doc, update);
		if (kind !== AWARENESS_QUERY) return;
		const ours = this.docs.localAwareness(doc);
		if (ours) this.publishAwareness(doc, ours);
	}

	private receive(bytes: Uint8Array) {
		let got;
		try {
			got = decodeRow(bytes);
		} catch (err) {
			return this.onError('an undecodable message on the bus', err);
		}
		if (got.instance === this.instance) return;
		const { row } = got;
		this.docs.remote(row.doc, { seq: row.seq, update: row.update, owners: row.owners });
	}

	/** One periodic check at a time (a slow database never stacks them up). */
	private async check() {
		if (this.checking) return;
		this.checking = true;
		try {
			await this.docs.checkAll();
		} catch (err) {
			this.onError('the periodic seq check failed', err);
		} finally {
			this.checking = false;
		}
	}

	async stop() {
		if (this.timer) clearInterval(this.timer);
		this.stopReconnect?.();
		await this.unsubscribe?.();
		await this.unsubscribeAwareness?.();
		await this.unsubscribeActions?.();
	}
}
