/** Where the sync layer reports failures on our side (main wires the structured log). */
export type ErrorSink = (what: string, err: unknown) => void;
/** Without a log (unit tests that build documents directly): a process warning. */
export const warnOnError: ErrorSink = (what, err) => process.emitWarning(`${what}: ${err instanceof Error ? err.message : String(err)}`);
