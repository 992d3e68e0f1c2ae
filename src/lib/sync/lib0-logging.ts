// lib0/logging for the browser build (vite.config.ts swaps it in): what yjs calls — `print`,
// `warn` and the style markers it passes — on the plain console. lib0's own browser module
// turns the markers into CSS and brings lib0/dom and more for it (0.5 KB gzip'd on every page
// that syncs a document) for two rare warnings. The server and the tests keep lib0's.
export const BOLD = Symbol('bold');
export const UNBOLD = Symbol('unbold');
export const BLUE = Symbol('blue');
export const GREY = Symbol('grey');
export const GREEN = Symbol('green');
export const RED = Symbol('red');
export const PURPLE = Symbol('purple');
export const ORANGE = Symbol('orange');
export const UNCOLOR = Symbol('uncolor');

const plain = (args: unknown[]) => args.filter((a) => typeof a !== 'symbol');

export const print = (...args: unknown[]) => console.log(...plain(args));
export const warn = (...args: unknown[]) => console.warn(...plain(args));
