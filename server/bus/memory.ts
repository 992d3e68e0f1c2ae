import { BusClosedError, reportToConsole, type Bus, type BusErrorReporter, type BusListener, type Unsubscribe } from './bus';

// The in-process adapter of the bus port (./bus.ts), for tests (one instance alone runs without a bus).
// Several "instances" in one process share one hub, as several processes share one Redis.

interface Subscription {
	listener: BusListener;
	active: boolean;
	/** The subscribing instance's reporter: a listener's failure is its instance's to log. */
	onError: BusErrorReporter;
}

export interface MemoryHub {
	/** A new instance's connection to this hub. */
	connect(options?: { onError?: BusErrorReporter }): Bus;
	/**
	 * Acts as if every connected instance had been cut off and come back: fires their
	 * `onReconnect` listeners. Nothing is lost in process; this lets tests drive the catch-up path
	 * without Redis.
	 */
	reconnectAll(): void;
}

/** A hub that delivers each message to every subscriber of its channel, in publish order. */
export function createMemoryHub(): MemoryHub {
	const channels = new Map<string, Set<Subscription>>();
	const reconnectListeners = new Set<() => void>();

	function connect({ onError = reportToConsole }: { onError?: BusErrorReporter } = {}): Bus {
		const mine = new Set<() => void>();
		const subscriptions = new Set<{ channel: string; sub: Subscription }>();
		let closed = false;
		const refuse = () => Promise.reject(new BusClosedError());

		const remove = (channel: string, sub: Subscription) => {
			sub.active = false;
			const set = channels.get(channel);
			set?.delete(sub);
			if (set?.size === 0) channels.delete(channel);
		};

		return {
			publish(channel, message) {
				if (closed) return refuse();
				// One copy for all (the caller may reuse its buffer), delivered after this tick as a
				// network would: a listener that publishes does not run inside the publisher.
				const bytes = message.slice();
				const targets = [...(channels.get(channel) ?? [])];
				queueMicrotask(() => {
					for (const sub of targets) {
						if (!sub.active) continue;
						try {
							sub.listener(bytes);
						} catch (err) {
							sub.onError(err);
						}
					}
				});
				return Promise.resolve();
			},
			subscribe(channel, onMessage) {
				if (closed) return refuse();
				const sub: Subscription = { listener: onMessage, active: true, onError };
				const entry = { channel, sub };
				subscriptions.add(entry);
				let set = channels.get(channel);
				if (!set) channels.set(channel, (set = new Set()));
				set.add(sub);
				const unsubscribe: Unsubscribe = async () => {
					subscriptions.delete(entry);
					remove(channel, sub);
				};
				return Promise.resolve(unsubscribe);
			},
			onReconnect(listener) {
				const wrapped = () => listener();
				mine.add(wrapped);
				reconnectListeners.add(wrapped);
				return () => {
					mine.delete(wrapped);
					reconnectListeners.delete(wrapped);
				};
			},
			async close() {
				if (closed) return;
				closed = true;
				for (const { channel, sub } of subscriptions) remove(channel, sub);
				subscriptions.clear();
				for (const listener of mine) reconnectListeners.delete(listener);
				mine.clear();
			}
		};
	}

	return {
		connect,
		reconnectAll() {
			for (const listener of [...reconnectListeners]) listener();
		}
	};
}
