ALTER TABLE `chats` ADD `identity` text DEFAULT 'claimed' NOT NULL;--> statement-breakpoint
ALTER TABLE `chats` ADD `source_key` text;--> statement-breakpoint
CREATE INDEX `chats_source` ON `chats` (`source_key`,`created_at`);