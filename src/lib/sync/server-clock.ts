// The server accepts a message only when its time is near the server's own clock (T2, README
// "Limits"): the browser stamps messages with its clock corrected by the server's Date header,
// so a phone whose clock is off can still send.
let offset = 0;

/** Learns the offset from an answer's Date header (the request left at `sentAt`). */
export function noteServerDate(date: string | null, sentAt: number) {
	const server = Date.parse(date ?? '');
	if (Number.isNaN(server)) return;
	const diff = server - (sentAt + Date.now()) / 2;
	// The header counts whole seconds: a smaller difference is its rounding, not a wrong clock.
	offset = Math.abs(diff) > 2000 ? diff : 0;
}

/** Now, in ms since epoch, by the server's clock as far as we know it. */
export const serverNow = () => Math.round(Date.now() + offset);
