// Messages between bench/chats.ts (main thread) and bench/chats-worker.ts (load-generator threads).

export interface Person {
	id: string;
	role: 'customer' | 'agent';
	name: string;
}

export interface BenchChat {
	/** Global index 0..N-1: fixes the chat's send phase within each second. */
	idx: number;
	chatId: string;
	customer: Person;
	customerToken: string;
	agent: Person;
	agentToken: string;
}

export interface WorkerInput {
	workerId: number;
	wsBase: string; // ws://127.0.0.1:<port>/sync
	chats: BenchChat[];
	totalChats: number;
	clientsPerChat: number;
	connectConcurrency: number;
	connectTimeoutMs: number;
}

export type ToWorker =
	| { type: 'start'; t0: number; warmupMs: number; measureMs: number; periodMs: number; stragglerMs: number }
	| { type: 'stop' };

export interface CloseRecord {
	code: number;
	reason: string;
	count: number;
}

export interface WorkerResult {
	workerId: number;
	sentTotal: number;
	measuredSent: number;
	expected: number;
	delivered: number;
	/** Also counted: deliveries of warm-up messages (not in loss/latency). */
	warmupDelivered: number;
	latencies: Float64Array;
	/** Send-loop lateness (ms behind schedule), a sign the generator cannot keep up. */
	maxSendLagMs: number;
	stragglerWaitMs: number;
	threadCpuSeconds: number | null; // this thread, during the measured window
	elu: number; // event-loop utilisation during the measured window
	cpuWaitSeconds: number | null; // runnable but waiting for a CPU, in the window
	loopDelayMaxMs: number; // worst event-loop delay in the window
	loopDelayP99Ms: number;
	closes: CloseRecord[];
	connectionErrors: number;
	connectedAtEnd: number;
}

export type FromWorker =
	| { type: 'progress'; workerId: number; synced: number; total: number }
	| { type: 'connected'; workerId: number; synced: number; total: number; seconds: number }
	| { type: 'result'; result: WorkerResult }
	| { type: 'stopped'; workerId: number }
	| { type: 'fatal'; workerId: number; message: string };
