CREATE TABLE "chat_ratings" (
	"chat_id" text PRIMARY KEY NOT NULL,
	"score" integer NOT NULL,
	"comment" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "left_message_at" bigint;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "reply_email" text;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "mailed_up_to" bigint;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "transcript_mails" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "queue_status" jsonb;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "hours" jsonb;--> statement-breakpoint
ALTER TABLE "chat_ratings" ADD CONSTRAINT "chat_ratings_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE no action ON UPDATE no action;