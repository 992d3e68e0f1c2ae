// Worker-thread entry: Node 20 does not carry tsx's loader into workers reliably, so the worker
// registers it itself, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./chats-worker.ts');
