// The app is client-rendered: every byte of data comes from /api and /sync at run time.
export const ssr = false;
export const prerender = false;
