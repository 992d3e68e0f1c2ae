/* Parley's chat widget loader (README "Widget"). Paste on a page:
 *   <script src="https://<parley>/widget.js" data-parley-key="<key>" async></script>
 * It draws one launcher button; the chat itself opens in an iframe on Parley's origin, so neither
 * side's CSS or scripts touch the other. Hand-written, no framework; before a click nothing else
 * loads but, for a live chat, its frame (hidden: the badge). Messages go only to Parley's exact
 * origin and are read only from the widget's frame. */
(function () {
	'use strict';
	var script = document.currentScript;
	var key = script && script.getAttribute('data-parley-key');
	if (!key || window.Parley) return;
	var base = new URL(script.src).origin;
	var storeKey = 'parley:' + key;
	var listeners = { 'chat:started': [], 'chat:ended': [] };
	var identity = null, open = false, wanted = false, name = 'support';
	var button, badge, panel, frame;

	function style(el, css) {
		for (var k in css) el.style.setProperty(k, css[k]);
		return el;
	}
	function el(tag, css) {
		return style(document.createElement(tag), css || {});
	}

	// The visitor's newest chat ({id, token, anew?}), on this site only: the frame never needs a
	// cookie. Kept as the frame sent it (the frame checks the shape when it reads it back).
	function valid(c) {
		return c && typeof c.id === 'string' && typeof c.token === 'string' ? c : null;
	}
	function stored() {
		try {
			return valid(JSON.parse(localStorage.getItem(storeKey) || 'null'));
		} catch (e) {
			return null;
		}
	}
	function keep(c) {
		try {
			if (valid(c)) localStorage.setItem(storeKey, JSON.stringify(c));
		} catch (e) {}
	}
	function post(message) {
		if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, base);
	}
	function emit(event, detail) {
		listeners[event].slice().forEach(function (fn) {
			try {
				fn(detail);
			} catch (e) {
				setTimeout(function () { throw e; });
			}
		});
	}
	function setBadge(count) {
		if (!badge) return;
		badge.textContent = count > 9 ? '9+' : String(count);
		badge.style.display = count > 0 ? 'flex' : 'none';
		button.setAttribute('aria-label', 'Chat with ' + name + (count > 0 ? ' (' + count + ' unread)' : ''));
	}

	window.addEventListener('message', function (e) {
		if (!frame || e.source !== frame.contentWindow || e.origin !== base || !e.data) return;
		var d = e.data;
		if (d.type === 'parley:ready') post({ type: 'parley:init', chat: stored(), identity: identity, open: open });
		else if (d.type === 'parley:chat') keep(d.chat);
		else if (d.type === 'parley:unread') setBadge(open ? 0 : Math.max(0, d.count | 0));
		else if (d.type === 'parley:close') close();
		else if (d.type === 'parley:event' && listeners[d.event]) emit(d.event, { chatId: String(d.chatId) });
	});

	var phone = window.matchMedia('(max-width: 640px)');
	function place() {
		// On a phone the open panel covers the screen, launcher included (the panel has its own ✕).
		if (button) button.style.display = open && phone.matches ? 'none' : 'flex';
		if (!panel) return;
		style(panel, phone.matches
			? { inset: '0', width: '100%', height: '100%', 'border-radius': '0' }
			: { inset: 'auto 20px 92px auto', width: '380px', height: 'min(620px, calc(100vh - 112px))', 'border-radius': '14px' });
	}
	if (phone.addEventListener) phone.addEventListener('change', place);

	// The panel and its frame, hidden until opened: made on the first click, or at once for a
	// visitor with a live chat to resume (so the frame hears new messages for the badge).
	function mount() {
		if (panel) return;
		panel = el('div', { position: 'fixed', 'z-index': '2147483000', overflow: 'hidden', background: '#fff', 'box-shadow': '0 12px 40px rgba(0,0,0,.25)', display: 'none' });
		frame = el('iframe', { border: '0', width: '100%', height: '100%', display: 'block' });
		frame.title = 'Chat with ' + name;
		frame.src = base + '/widget/' + encodeURIComponent(key);
		frame.setAttribute('data-parley-frame', '');
		panel.appendChild(frame);
		place();
		document.body.appendChild(panel);
	}
	function openPanel() {
		// Asked before the button is drawn: opened once it is (never on a site that is refused).
		if (!button) return void (wanted = true);
		mount();
		open = true;
		place();
		panel.style.display = 'block';
		button.setAttribute('aria-expanded', 'true');
		setBadge(0);
		post({ type: 'parley:visible', open: true });
		frame.focus();
	}
	function close() {
		if (!open) return;
		open = false;
		place();
		panel.style.display = 'none';
		button.setAttribute('aria-expanded', 'false');
		post({ type: 'parley:visible', open: false });
		button.focus();
	}

	function draw(settings) {
		name = settings.name;
		button = el('button', {
			position: 'fixed', right: '20px', bottom: '20px', 'z-index': '2147483001', width: '56px', height: '56px',
			'border-radius': '50%', border: '0', cursor: 'pointer', background: settings.colour, color: '#fff',
			display: 'flex', 'align-items': 'center', 'justify-content': 'center', 'box-shadow': '0 4px 14px rgba(0,0,0,.25)', padding: '0'
		});
		button.type = 'button';
		button.setAttribute('data-parley-launcher', '');
		button.setAttribute('aria-haspopup', 'dialog');
		button.setAttribute('aria-expanded', 'false');
		button.innerHTML = '<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
		badge = el('span', {
			position: 'absolute', top: '-4px', right: '-4px', 'min-width': '20px', height: '20px', 'border-radius': '10px', padding: '0 5px',
			background: '#d92d20', color: '#fff', font: 'bold 12px/20px system-ui,sans-serif', display: 'none', 'align-items': 'center', 'justify-content': 'center'
		});
		badge.setAttribute('data-parley-badge', '');
		badge.setAttribute('aria-hidden', 'true');
		button.appendChild(badge);
		setBadge(0);
		button.addEventListener('click', function () {
			if (open) close();
			else openPanel();
		});
		document.body.appendChild(button);
		var c = stored();
		if (wanted) openPanel();
		else if (c && !c.anew && !c.ended) mount();
	}

	window.Parley = {
		open: openPanel,
		close: close,
		/** {email, name, signature}: signature = hex HMAC-SHA256(email, the widget's secret), made on the site's server. */
		identify: function (id) {
			identity = id && typeof id === 'object' ? { email: String(id.email), name: String(id.name), signature: String(id.signature) } : null;
			post({ type: 'parley:identify', identity: identity });
		},
		on: function (event, fn) {
			if (listeners[event] && typeof fn === 'function') listeners[event].push(fn);
		}
	};

	// The settings answer only this widget's own sites (CORS): anywhere else, nothing is drawn.
	fetch(base + '/api/widgets/' + encodeURIComponent(key), { credentials: 'omit' })
		.then(function (res) {
			return res.json().then(function (body) {
				if (res.ok) return body;
				throw new Error('Parley chat widget: ' + (res.status === 403 ? 'this site may not embed it' : 'unavailable') + ' (' + res.status + ')');
			});
		})
		.then(function (body) {
			if (document.body) draw(body.widget);
			else document.addEventListener('DOMContentLoaded', function () { draw(body.widget); });
		})
		.catch(function (err) {
			if (window.console) console.warn(err && err.message ? err.message : err);
		});
})();
