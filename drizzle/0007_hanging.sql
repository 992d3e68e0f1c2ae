CREATE TABLE `chat_ratings` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`score` integer NOT NULL,
	`comment` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `chats` ADD `left_message_at` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `reply_email` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `mailed_up_to` integer;--> statement-breakpoint
ALTER TABLE `chats` ADD `transcript_mails` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `chats` ADD `queue_status` text;--> statement-breakpoint
ALTER TABLE `topics` ADD `hours` text;