import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A site of the widget journeys' own: a tiny server on another port (another origin) with one
// HTML page holding the snippet, and a line that records the widget's events on <body>.

export interface HostSite {
	url: string;
	server: Server;
}

/** `signedIn()`: script run on `/signed-in` before the events are hooked (e.g. Parley.identify). */
export function hostPage(snippet: () => string, signedIn?: () => string): Promise<HostSite> {
	const server = createServer((req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bike Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui; margin: 2rem"><h1>Bike Shop</h1><p>Wheels, bells and more.</p>
${snippet()}
<script>addEventListener('load', function () {${req.url === '/signed-in' && signedIn ? signedIn() : ''}
  Parley.on('chat:started', function (e) { document.body.dataset.started = e.chatId; });
  Parley.on('chat:ended', function (e) { document.body.dataset.ended = e.chatId; });
});</script></body></html>`);
	});
	return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}
