CREATE TABLE `conference_offers` (
	`request_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`declined` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`request_id`, `agent_id`),
	FOREIGN KEY (`request_id`) REFERENCES `conference_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conference_offers_agent` ON `conference_offers` (`agent_id`);--> statement-breakpoint
CREATE TABLE `conference_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`requester_id` text NOT NULL,
	`target_agent_id` text,
	`target_skill` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`reason` text,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requester_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`target_agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `requests_chat` ON `conference_requests` (`chat_id`);--> statement-breakpoint
CREATE INDEX `requests_status` ON `conference_requests` (`status`,`expires_at`);