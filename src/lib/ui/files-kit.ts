// B9: what showing and uploading files takes, in one chunk the pages load only when a file is
// chosen or a message carries one (the customer page's JS budget: README "Performance").
export { default as AttachButton } from './AttachButton.svelte';
export { default as AttachmentList } from './AttachmentList.svelte';
export { default as UploadTray } from './UploadTray.svelte';
export { ChatFiles } from '$lib/sync/chat-files.svelte';
export { Uploads } from '$lib/sync/uploads.svelte';
