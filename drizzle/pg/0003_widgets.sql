CREATE TABLE "widgets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key" text NOT NULL,
	"secret" text NOT NULL,
	"allowed_origins" jsonb NOT NULL,
	"topics" jsonb NOT NULL,
	"greeting" text NOT NULL,
	"colour" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "widgets_key_unique" UNIQUE("key")
);
