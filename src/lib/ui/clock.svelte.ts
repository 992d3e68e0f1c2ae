// A shared "now" for relative times ("2 min ago"): one timer for the whole page, ticking
// every 15 s, so every timestamp re-renders together and layouts stay steady.
class Clock {
	now = $state(Date.now());
	constructor() {
		if (typeof window !== 'undefined') setInterval(() => (this.now = Date.now()), 15_000);
	}
}

export const clock = new Clock();
