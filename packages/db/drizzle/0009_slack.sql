CREATE TYPE "public"."slack_connection_status" AS ENUM('active', 'reconnect_required');--> statement-breakpoint
CREATE TYPE "public"."slack_mode" AS ENUM('threads', 'alerts');--> statement-breakpoint
CREATE TYPE "public"."slack_thread_kind" AS ENUM('notification', 'support');--> statement-breakpoint
CREATE TABLE "slack_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"team_id" text NOT NULL,
	"team_name" text NOT NULL,
	"bot_user_id" text NOT NULL,
	"bot_token_encrypted" text NOT NULL,
	"scope" text,
	"channel_id" text,
	"channel_name" text,
	"mode" "slack_mode" DEFAULT 'threads' NOT NULL,
	"note_prefix" text DEFAULT ';;' NOT NULL,
	"status" "slack_connection_status" DEFAULT 'active' NOT NULL,
	"last_error" text,
	"connected_by_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slack_id" text NOT NULL,
	"kind" text NOT NULL,
	"team_id" text,
	"account_id" uuid,
	"payload" jsonb NOT NULL,
	"outcome" text,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"account_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid,
	"direction" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_messages_account_id_channel_id_ts_pk" PRIMARY KEY("account_id","channel_id","ts")
);
--> statement-breakpoint
CREATE TABLE "slack_support_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"channel_name" text NOT NULL,
	"company_id" uuid NOT NULL,
	"inbox_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_threads" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"kind" "slack_thread_kind" DEFAULT 'notification' NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text,
	"posted_through_seq" bigint DEFAULT 0 NOT NULL,
	"header_state" text,
	"last_error" text,
	"failed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slack_connections" ADD CONSTRAINT "slack_connections_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_connections" ADD CONSTRAINT "slack_connections_connected_by_id_users_id_fk" FOREIGN KEY ("connected_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_events" ADD CONSTRAINT "slack_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_support_channels" ADD CONSTRAINT "slack_support_channels_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_support_channels" ADD CONSTRAINT "slack_support_channels_connection_id_slack_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."slack_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_support_channels" ADD CONSTRAINT "slack_support_channels_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_support_channels" ADD CONSTRAINT "slack_support_channels_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_threads" ADD CONSTRAINT "slack_threads_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_threads" ADD CONSTRAINT "slack_threads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_threads" ADD CONSTRAINT "slack_threads_connection_id_slack_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."slack_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_connections_account_idx" ON "slack_connections" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "slack_connections_team_idx" ON "slack_connections" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_events_slack_id_idx" ON "slack_events" USING btree ("kind","slack_id");--> statement-breakpoint
CREATE INDEX "slack_events_received_idx" ON "slack_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_messages_message_idx" ON "slack_messages" USING btree ("message_id") WHERE "slack_messages"."message_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_support_channels_channel_idx" ON "slack_support_channels" USING btree ("connection_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_threads_thread_idx" ON "slack_threads" USING btree ("account_id","channel_id","thread_ts") WHERE "slack_threads"."thread_ts" is not null;--> statement-breakpoint
CREATE INDEX "slack_threads_failed_idx" ON "slack_threads" USING btree ("account_id","failed_at" DESC NULLS LAST) WHERE "slack_threads"."failed_at" is not null;