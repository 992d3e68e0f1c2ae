// Getting the agent's attention (issue 16): a short beep (WebAudio, no sound file) and a desktop
// notification for a new offer, a conference request, a customer's message in a chat not in
// view, a decline. Permission is asked once, from a visible control (never on load); the mute
// setting is kept per agent in this browser.

const BEEP_HZ = 880;
const BEEP_S = 0.18;

type Permission = NotificationPermission | 'unsupported';

const mutedKey = (userId: string) => `parley.attention.muted.${userId}`;

export class Attention {
	muted = $state(false);
	permission = $state<Permission>('unsupported');
	#userId: string;
	#audio: AudioContext | null = null;

	constructor(userId: string) {
		this.#userId = userId;
		try {
			this.muted = localStorage.getItem(mutedKey(userId)) === '1';
		} catch {
			this.muted = false;
		}
		this.permission = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
	}

	setMuted(muted: boolean) {
		this.muted = muted;
		try {
			if (muted) localStorage.setItem(mutedKey(this.#userId), '1');
			else localStorage.removeItem(mutedKey(this.#userId));
		} catch {
			// Not kept: it still holds while the page is open.
		}
	}

	/** Asks for desktop notifications; only from a click, only while the browser has no answer. */
	async ask() {
		if (this.permission !== 'default') return;
		this.permission = await Notification.requestPermission();
	}

	/** One alert: sound and, when allowed, a desktop notification (`tag` folds repeats into one). */
	alert(title: string, body: string, tag: string) {
		if (this.muted) return;
		this.#beep();
		if (this.permission !== 'granted') return;
		try {
			new Notification(title, { body, tag });
		} catch {
			// Some browsers allow notifications only from a service worker: the sound has to do.
		}
	}

	#beep() {
		try {
			this.#audio ??= new AudioContext();
			const ctx = this.#audio;
			if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
			const osc = ctx.createOscillator();
			const gain = ctx.createGain();
			osc.frequency.value = BEEP_HZ;
			gain.gain.setValueAtTime(0.15, ctx.currentTime);
			gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + BEEP_S);
			osc.connect(gain).connect(ctx.destination);
			osc.start();
			osc.stop(ctx.currentTime + BEEP_S);
		} catch {
			// No audio here (policy or hardware): the notification and the title still tell.
		}
	}

	destroy() {
		void this.#audio?.close().catch(() => undefined);
		this.#audio = null;
	}
}

/** Is the agent looking at this chat right now (open, and the tab in front)? */
export function inView(chatId: string, selectedId: string | null): boolean {
	return chatId === selectedId && document.visibilityState === 'visible';
}
