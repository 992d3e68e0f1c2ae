// The customer page alone is rendered on the server: its first HTML already shows the loading
// card and names (modulepreload) every script it needs, so a phone fetches them at once instead
// of one after another. It holds no data: the chat comes from /api and /sync in the browser.
export const ssr = true;
