// Messages between bench/compare.ts (main thread) and bench/compare-worker.ts (load generators).

export interface Person {
	id: string;
	role: 'customer' | 'agent';
	name: string;
}

export type ServerKind = 'parley' | 'hocuspocus' | 'relay';

/** One client of a chat: who it writes as, and how it authenticates (Parley only). */
export interface ClientSpec {
	person: Person;
	token: string;
	/** Which instance of a cluster it connects to (an index into `wsBases`; 0 when one server). */
	instance?: number;
}

export interface CompareChat {
	/** Global index 0..N-1: fixes the chat's send phase within each period. */
	idx: number;
	/** The document every client of the chat syncs (`chat/<id>`). */
	room: string;
	clients: ClientSpec[];
	/** The slots of `clients` this worker runs (all of them, unless one chat is split over threads). */
	mine: number[];
}

export interface CompareWorkerInput {
	workerId: number;
	server: ServerKind;
	/** y-websocket serverUrl: ws://127.0.0.1:<port>/sync (Parley) or ws://127.0.0.1:<port>. */
	wsBase: string;
	/** A cluster's instances (the cluster point): a client connects to `wsBases[spec.instance]`. */
	wsBases?: string[];
	chats: CompareChat[];
	totalChats: number;
	connectConcurrency: number;
	connectTimeoutMs: number;
}

export type CompareToWorker =
	| { type: 'start'; t0: number; warmupMs: number; measureMs: number; periodMs: number; stragglerMs: number }
	| { type: 'fill'; messages: number; minGapMs: number; timeoutMs: number }
	| { type: 'stop' };

export interface CloseRecord {
	code: number;
	reason: string;
	count: number;
}

export interface CompareResult {
	workerId: number;
	sentTotal: number;
	measuredSent: number;
	expected: number;
	delivered: number;
	latencies: Float64Array;
	maxSendLagMs: number;
	stragglerWaitMs: number;
	threadCpuSeconds: number | null;
	elu: number;
	loopDelayMaxMs: number;
	loopDelayP99Ms: number;
	closes: CloseRecord[];
	connectionErrors: number;
	connectedAtEnd: number;
}

export type CompareFromWorker =
	| { type: 'progress'; workerId: number; synced: number; total: number }
	| { type: 'connected'; workerId: number; synced: number; total: number; seconds: number }
	| { type: 'filled'; workerId: number; chats: number; messages: number; seconds: number; complete: boolean; closes: CloseRecord[] }
	| { type: 'result'; result: CompareResult }
	| { type: 'stopped'; workerId: number }
	| { type: 'fatal'; workerId: number; message: string };
