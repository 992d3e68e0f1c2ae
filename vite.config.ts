import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Integration and e2e suites each start real servers; keep them from starving the 2 cores.
		maxWorkers: 2
	}
});
