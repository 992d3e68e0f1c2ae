// The app is client-rendered: every byte of data comes from /api and /sync at run time (the
// customer page alone also renders its loading card on the server: chat/+page.server.ts). The
// page options live in the server file, so the browser loads no module for them.
export const ssr = false;
export const prerender = false;
