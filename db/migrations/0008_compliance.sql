CREATE TABLE "audit_checkpoint_head" (
	"checkpoint_id" bigint NOT NULL,
	"stream" text NOT NULL,
	"seq" integer NOT NULL,
	"hash" char(64) NOT NULL,
	CONSTRAINT "audit_checkpoint_head_checkpoint_id_stream_pk" PRIMARY KEY("checkpoint_id","stream"),
	CONSTRAINT "audit_checkpoint_head_seq_check" CHECK ("audit_checkpoint_head"."seq" >= 1),
	CONSTRAINT "audit_checkpoint_head_hash_check" CHECK ("audit_checkpoint_head"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoint" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"streams" integer NOT NULL,
	"events" bigint NOT NULL,
	"root" char(64) NOT NULL,
	"previous_root" char(64) NOT NULL,
	"key_id" text NOT NULL,
	"payload" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "audit_checkpoint_root_check" CHECK ("audit_checkpoint"."root" ~ '^[0-9a-f]{64}$' and "audit_checkpoint"."previous_root" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "audit_checkpoint_counts_check" CHECK ("audit_checkpoint"."streams" >= 0 and "audit_checkpoint"."events" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_export" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_user_id" uuid,
	"format" text NOT NULL,
	"gzip" boolean DEFAULT false NOT NULL,
	"filters" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"rows" bigint,
	"bytes" bigint,
	"sha256" char(64),
	"checkpoint_id" bigint,
	"manifest" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "audit_export_format_check" CHECK ("audit_export"."format" in ('csv', 'jsonl')),
	CONSTRAINT "audit_export_status_check" CHECK ("audit_export"."status" in ('running', 'complete', 'failed')),
	CONSTRAINT "audit_export_complete_check" CHECK (("audit_export"."status" = 'complete') = ("audit_export"."completed_at" is not null and "audit_export"."sha256" is not null and "audit_export"."manifest" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_signing_key" (
	"key_id" text PRIMARY KEY NOT NULL,
	"public_key_pem" text NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document" DROP CONSTRAINT "document_size_check";--> statement-breakpoint
ALTER TABLE "document" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriber" ADD COLUMN "pseudonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "survey_response" ADD COLUMN "pseudonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "unmatched_notice" ADD COLUMN "pseudonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_checkpoint_head" ADD CONSTRAINT "audit_checkpoint_head_checkpoint_id_audit_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."audit_checkpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_checkpoint" ADD CONSTRAINT "audit_checkpoint_key_id_audit_signing_key_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."audit_signing_key"("key_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_export" ADD CONSTRAINT "audit_export_staff_user_id_staff_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_export" ADD CONSTRAINT "audit_export_checkpoint_id_audit_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."audit_checkpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_checkpoint_head_stream_idx" ON "audit_checkpoint_head" USING btree ("stream","checkpoint_id");--> statement-breakpoint
CREATE INDEX "audit_checkpoint_taken_idx" ON "audit_checkpoint" USING btree ("taken_at");--> statement-breakpoint
CREATE INDEX "audit_export_created_idx" ON "audit_export" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_event_actor_idx" ON "audit_event" USING btree ("actor_type","actor_id","occurred_at");--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_size_check" CHECK ("document"."size_bytes" = octet_length("document"."bytes") or ("document"."purged_at" is not null and octet_length("document"."bytes") = 0));