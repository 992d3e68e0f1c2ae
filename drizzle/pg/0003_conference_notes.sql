ALTER TABLE "conference_offers" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "conference_requests" ADD COLUMN "note" text;