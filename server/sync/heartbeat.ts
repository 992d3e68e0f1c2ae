import type { SocketPeer } from './peer';

const PING_MS = 30_000;
/** The round is spread over this many slices (one a second): no stall over every socket at once. */
const PING_SLICES = 30;

/**
 * Every PING_MS each socket is looked at, one slice of the sockets a second rather than all of
 * them in one stall: one that sent something since the last look needs no ping (a stock client
 * renews its awareness every 15 s); a silent one is pinged, and dropped if it is still silent
 * (no frame, no pong) at the next look. `everyRound` runs once a round (housekeeping).
 */
export function startHeartbeat(peers: () => Iterable<SocketPeer>, everyRound: () => void) {
	let slice = 0;
	let next = 0;
	const timer = setInterval(() => {
		slice = (slice + 1) % PING_SLICES;
		if (slice === 0) everyRound();
		for (const peer of peers()) {
			if (peer.pingSlice !== slice) continue;
			if (peer.alive) {
				peer.alive = false;
				peer.pinged = false;
			} else if (peer.pinged) peer.ws.terminate();
			else {
				peer.pinged = true;
				peer.ws.ping();
			}
		}
	}, PING_MS / PING_SLICES);
	timer.unref();
	return {
		/** Puts a new socket in the next slice and counts its pongs as signs of life. */
		track(peer: SocketPeer) {
			peer.pingSlice = next++ % PING_SLICES;
			peer.ws.on('pong', () => (peer.alive = true));
		},
		stop: () => clearInterval(timer)
	};
}
