// Worker-thread entry: registers tsx's loader in the worker, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./compare-worker.ts');
