CREATE TABLE `widgets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key` text NOT NULL,
	`secret` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`topics` text NOT NULL,
	`greeting` text NOT NULL,
	`colour` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `widgets_key_unique` ON `widgets` (`key`);