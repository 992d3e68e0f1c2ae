ALTER TABLE `chats` ADD `identity` text DEFAULT 'claimed' NOT NULL;--> statement-breakpoint
ALTER TABLE `chats` ADD `source_key` text;--> statement-breakpoint
CREATE INDEX `chats_source` ON `chats` (`source_key`,`created_at`);--> statement-breakpoint
-- Chats from before identities: the first chat of each customer founded it (T4, `new`); the later ones were typed emails (`claimed`).
UPDATE `chats` SET `identity` = 'new' WHERE `created_at` = (SELECT MIN(c2.`created_at`) FROM `chats` c2 WHERE c2.`customer_id` = `chats`.`customer_id`);
