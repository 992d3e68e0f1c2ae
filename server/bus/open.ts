import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Bus, BusErrorReporter } from './bus';
import { connectRedisBus } from './redis';

/**
 * A name for this instance on the bus, unique among the instances of a deployment (its own
 * messages come back to it and are told apart by it): host, process and a random part.
 */
export function instanceName(): string {
	return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The bus of a deployment with several instances (REDIS_URL); rejects when Redis cannot be reached. */
export function openRedisBus(url: string, prefix: string, instance: string, onError: BusErrorReporter): Promise<Bus> {
	return connectRedisBus({ url, prefix, name: `parley-${instance}`, onError });
}
