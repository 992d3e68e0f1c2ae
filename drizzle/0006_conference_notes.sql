ALTER TABLE `conference_offers` ADD `decline_reason` text;--> statement-breakpoint
ALTER TABLE `conference_requests` ADD `note` text;