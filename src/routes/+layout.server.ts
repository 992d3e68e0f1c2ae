// The app is client-rendered: every byte of data comes from /api and /sync at run time. The page
// options live in the server file, so the browser loads no module for them.
export const ssr = false;
export const prerender = false;
