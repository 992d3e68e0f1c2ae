import type { ChatSummary } from '$lib/core/audit/transcript';
import type { TimelineEntry } from '$lib/core/audit/types';
import { auditApi, type StateAtMoment } from './audit-api';

// A2: the replay of one chat — its timeline, the current step, and the state at that step
// (fetched latest-wins, kept for recently visited steps so stepping back is instant).

const KEEP = 60;
const PLAY_MS = 700;

export class Replay {
	chat = $state<ChatSummary | null>(null);
	timeline = $state<TimelineEntry[]>([]);
	step = $state(0);
	atStep = $state<StateAtMoment | null>(null);
	loadingState = $state(false);
	error = $state('');
	playing = $state(false);

	readonly current = $derived(this.step > 0 ? (this.timeline[this.step - 1] ?? null) : null);
	readonly steps = $derived(this.timeline.length);

	private readonly cache = new Map<number, StateAtMoment>();
	private controller: AbortController | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private player: ReturnType<typeof setInterval> | null = null;

	constructor(readonly chatId: string) {}

	async load(initialStep: number | null) {
		this.error = '';
		try {
			const res = await auditApi.timeline(this.chatId);
			this.chat = res.chat;
			this.timeline = res.timeline;
			this.go(initialStep === null ? res.timeline.length : initialStep, true);
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
		}
	}

	/** Moves to a step (clamped); the state follows, at once when cached, else after a short pause while scrubbing. */
	go(step: number, now = false) {
		this.step = Math.max(0, Math.min(this.steps, Math.round(step)));
		const hit = this.cache.get(this.step);
		if (hit) {
			this.atStep = hit;
			this.loadingState = false;
			return;
		}
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => this.fetch(this.step), now ? 0 : 60);
	}

	back = () => this.go(this.step - 1, true);
	forward = () => this.go(this.step + 1, true);

	togglePlay = () => (this.playing ? this.pause() : this.play());

	play() {
		if (this.step >= this.steps) this.go(0, true);
		this.playing = true;
		this.player = setInterval(() => {
			if (this.step >= this.steps) this.pause();
			else this.forward();
		}, PLAY_MS);
	}

	pause() {
		this.playing = false;
		if (this.player) clearInterval(this.player);
		this.player = null;
	}

	destroy() {
		this.pause();
		if (this.timer) clearTimeout(this.timer);
		this.controller?.abort();
	}

	private async fetch(step: number) {
		this.controller?.abort();
		const controller = (this.controller = new AbortController());
		this.loadingState = true;
		try {
			const state = await auditApi.state(this.chatId, step, controller.signal);
			this.cache.set(step, state);
			if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as number);
			if (this.step === step) {
				this.atStep = state;
				this.error = '';
			}
		} catch (err) {
			if (err instanceof DOMException && err.name === 'AbortError') return;
			this.error = err instanceof Error ? err.message : String(err);
		} finally {
			if (this.controller === controller) this.loadingState = false;
		}
	}
}
