CREATE TABLE `chat_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text NOT NULL,
	`record_id` text NOT NULL,
	`attached_by` text NOT NULL,
	`attached_at` integer NOT NULL,
	`removed_by` text,
	`removed_at` integer,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`record_id`) REFERENCES `records`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `chat_records_chat` ON `chat_records` (`chat_id`);--> statement-breakpoint
CREATE TABLE `chat_workspaces` (
	`chat_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`record_ids` text NOT NULL,
	`taken_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `agent_id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `records` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`customer_id` text,
	`required_skill` text,
	`required_agent_id` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`required_agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `records_customer` ON `records` (`customer_id`);--> statement-breakpoint
ALTER TABLE `conference_requests` ADD `kind` text DEFAULT 'conference' NOT NULL;