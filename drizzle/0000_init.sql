CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text,
	`actor` text NOT NULL,
	`kind` text NOT NULL,
	`data` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_chat` ON `audit_events` (`chat_id`);--> statement-breakpoint
CREATE TABLE `chat_configurations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`conference_enabled` integer NOT NULL,
	`request_timeout_sec` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_configurations_name_unique` ON `chat_configurations` (`name`);--> statement-breakpoint
CREATE TABLE `chat_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`status` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offers_chat` ON `chat_offers` (`chat_id`);--> statement-breakpoint
CREATE INDEX `offers_agent` ON `chat_offers` (`agent_id`);--> statement-breakpoint
CREATE TABLE `chat_participants` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	PRIMARY KEY(`chat_id`, `user_id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `participants_user` ON `chat_participants` (`user_id`);--> statement-breakpoint
CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`topic_id` text NOT NULL,
	`skill` text NOT NULL,
	`routing` text NOT NULL,
	`customer_id` text NOT NULL,
	`customer_name` text NOT NULL,
	`customer_token_hash` text NOT NULL,
	`status` text NOT NULL,
	`originating_agent_id` text,
	`created_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`originating_agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chats_customer_token_hash_unique` ON `chats` (`customer_token_hash`);--> statement-breakpoint
CREATE INDEX `chats_status` ON `chats` (`status`);--> statement-breakpoint
CREATE INDEX `chats_customer` ON `chats` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_email_unique` ON `customers` (`email`);--> statement-breakpoint
CREATE TABLE `doc_checkpoints` (
	`doc` text NOT NULL,
	`seq` integer NOT NULL,
	`state` blob NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`doc`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `doc_clients` (
	`doc` text NOT NULL,
	`client_id` integer NOT NULL,
	`actor` text NOT NULL,
	PRIMARY KEY(`doc`, `client_id`)
);
--> statement-breakpoint
CREATE TABLE `doc_updates` (
	`doc` text NOT NULL,
	`seq` integer NOT NULL,
	`update` blob NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`doc`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `topics` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`skill` text NOT NULL,
	`routing` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `topics_name_unique` ON `topics` (`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`permissions` text NOT NULL,
	`skills` text NOT NULL,
	`capacity` integer DEFAULT 0 NOT NULL,
	`presence` text DEFAULT 'offline' NOT NULL,
	`chat_configuration_id` text,
	`last_assigned_at` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`chat_configuration_id`) REFERENCES `chat_configurations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);