import { Redis, type RedisOptions } from 'ioredis';
import { BusClosedError, reportToConsole, type Bus, type BusErrorReporter, type BusListener, type Unsubscribe } from './bus';

// The Redis adapter of the bus port (./bus.ts), for several instances (issue 13, B5), opened by
// the server when REDIS_URL is set (./open.ts).
//
// Two connections: a connection that has subscribed may only (un)subscribe and ping, so
// publishing needs its own. Payloads travel as Buffers both ways (ioredis's `messageBuffer`), so
// updates arrive byte for byte. Neither connection queues commands while it is down: a publish
// rejects at once (the caller goes on; receivers fill the gap from the database) and a subscribe
// made meanwhile is recorded and made when the connection is back. After every reconnect the
// subscriptions are made again (ioredis's own resubscribe is off so that we know when it is
// done) and only then are the `onReconnect` listeners called: what they read from the database
// then cannot miss a message published after it.

export interface RedisBusOptions {
	/** redis://[user:password@]host:port[/db] (rediss:// for TLS). */
	url: string;
	/** Put before every channel name, so that deployments (or test runs) sharing a Redis never cross. */
	prefix?: string;
	/** Where listener failures and connection errors go. */
	onError?: BusErrorReporter;
	/** Names the two connections in CLIENT LIST (`<name>-pub`, `<name>-sub`), e.g. after the instance. */
	name?: string;
}

/** Connects to Redis (both connections up, or it rejects) and returns the bus. */
export async function connectRedisBus({ url, prefix = 'parley:', onError = reportToConsole, name = 'parley-bus' }: RedisBusOptions): Promise<Bus> {
	const options: RedisOptions = {
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		autoResubscribe: false,
		retryStrategy: (attempt) => Math.min(attempt * 100, 2000)
	};
	const pub = new Redis(url, { ...options, connectionName: `${name}-pub` });
	const sub = new Redis(url, { ...options, connectionName: `${name}-sub` });
	// Before the first connection a failure is thrown to the caller; after it, reported.
	let started = false;
	for (const connection of [pub, sub]) connection.on('error', (err) => started && onError(err));
	try {
		await Promise.all([pub.connect(), sub.connect()]);
	} catch (err) {
		pub.disconnect();
		sub.disconnect();
		throw new Error(`Redis at ${withoutPassword(url)} cannot be reached: ${(err as Error).message}`, { cause: err });
	}
	started = true;

	/** Subscriptions by full channel name (prefix included), and when Redis confirmed the channel. */
	const channels = new Map<string, { subs: Set<{ listener: BusListener; active: boolean }>; made: Promise<void> }>();
	const reconnectListeners = new Set<() => void>();
	let closed = false;

	sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
		const subs = channels.get(channel.toString())?.subs;
		if (!subs) return;
		const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
		for (const s of [...subs]) {
			if (!s.active) continue;
			try {
				s.listener(bytes);
			} catch (err) {
				onError(err);
			}
		}
	});

	// The first 'ready' came before connect() resolved: every one from now on is a reconnect.
	sub.on('ready', () => void resubscribe());

	async function resubscribe() {
		const names = [...channels.keys()];
		try {
			if (names.length) await sub.subscribe(...names);
		} catch {
			return; // cut off again: the next 'ready' tries again
		}
		if (closed) return;
		for (const listener of [...reconnectListeners]) {
			try {
				listener();
			} catch (err) {
				onError(err);
			}
		}
	}

	/** Sends a (un)subscribe when connected; when not, the next resubscribe covers it. */
	async function whenConnected(command: () => Promise<unknown>) {
		if (sub.status !== 'ready') return;
		try {
			await command();
		} catch (err) {
			if (sub.status === 'ready' && !closed) throw err; // not a dropped connection
		}
	}

	return {
		async publish(channel, message) {
			if (closed) throw new BusClosedError();
			const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
			await pub.publish(prefix + channel, bytes);
		},
		async subscribe(channel, onMessage) {
			if (closed) throw new BusClosedError();
			const name = prefix + channel;
			const entry = { listener: onMessage, active: true };
			let channelState = channels.get(name);
			if (!channelState) {
				channelState = { subs: new Set(), made: whenConnected(() => sub.subscribe(name)) };
				channels.set(name, channelState);
			}
			channelState.subs.add(entry);
			const unsubscribe: Unsubscribe = async () => {
				if (!entry.active) return;
				entry.active = false;
				const current = channels.get(name);
				if (!current?.subs.delete(entry) || current.subs.size > 0) return;
				channels.delete(name);
				if (!closed) await whenConnected(() => sub.unsubscribe(name));
			};
			try {
				await channelState.made; // also when another subscriber asked for the channel first
			} catch (err) {
				await unsubscribe();
				throw err;
			}
			return unsubscribe;
		},
		onReconnect(listener) {
			const wrapped = () => listener();
			reconnectListeners.add(wrapped);
			return () => void reconnectListeners.delete(wrapped);
		},
		async close() {
			if (closed) return;
			closed = true;
			for (const { subs } of channels.values()) for (const s of subs) s.active = false;
			channels.clear();
			reconnectListeners.clear();
			await Promise.all([pub, sub].map((c) => (c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
		}
	};
}

/** The URL as it may be logged: a password shown as ***. */
function withoutPassword(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return 'the configured URL';
	}
}
