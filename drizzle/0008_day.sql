CREATE TABLE `canned_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `canned_replies_owner` ON `canned_replies` (`owner_id`);--> statement-breakpoint
ALTER TABLE `conference_offers` ADD `decline_reason` text;--> statement-breakpoint
ALTER TABLE `conference_requests` ADD `note` text;--> statement-breakpoint
ALTER TABLE `users` ADD `active` integer DEFAULT true NOT NULL;