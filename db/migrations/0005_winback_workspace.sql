CREATE TABLE "winback_route" (
	"operator_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"queue" text,
	"sla_hours" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "winback_route_operator_id_reason_pk" PRIMARY KEY("operator_id","reason"),
	CONSTRAINT "winback_route_reason_check" CHECK ("winback_route"."reason" in ('price', 'competitor', 'outages', 'speed', 'moving', 'customer_service', 'no_longer_needed', 'other')),
	CONSTRAINT "winback_route_queue_check" CHECK ("winback_route"."queue" is null or "winback_route"."queue" in ('offers', 'service_recovery', 'new_address', 'apology')),
	CONSTRAINT "winback_route_sla_check" CHECK ("winback_route"."sla_hours" between 1 and 720)
);
--> statement-breakpoint
ALTER TABLE "contact_attempt" DROP CONSTRAINT "contact_attempt_outcome_check";--> statement-breakpoint
ALTER TABLE "operator" ADD COLUMN "winback_max_attempts" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "operator" ADD COLUMN "winback_max_age_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriber" ADD COLUMN "stop_contact_token_hash" char(64);--> statement-breakpoint
ALTER TABLE "winback_item" ADD COLUMN "subscriber_id" uuid;--> statement-breakpoint
UPDATE "winback_item" SET "subscriber_id" = c."subscriber_id" FROM "cancellation_case" c WHERE c."id" = "winback_item"."case_id";--> statement-breakpoint
ALTER TABLE "winback_item" ALTER COLUMN "subscriber_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "winback_item" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "winback_item" ADD COLUMN "close_reason" text;--> statement-breakpoint
UPDATE "winback_item" SET "closed_at" = coalesce("closed_at", "updated_at"), "close_reason" = 'outcome' WHERE "status" not in ('new', 'claimed', 'contacted');--> statement-breakpoint
UPDATE "winback_item" SET "closed_at" = null WHERE "status" in ('new', 'claimed', 'contacted');--> statement-breakpoint
ALTER TABLE "winback_route" ADD CONSTRAINT "winback_route_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_route" ADD CONSTRAINT "winback_route_updated_by_staff_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_subscriber_id_subscriber_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscriber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "subscriber_stop_contact_token_key" ON "subscriber" USING btree ("stop_contact_token_hash");--> statement-breakpoint
CREATE INDEX "winback_item_subscriber_idx" ON "winback_item" USING btree ("subscriber_id");--> statement-breakpoint
CREATE INDEX "winback_item_open_idx" ON "winback_item" USING btree ("sla_due_at") WHERE "winback_item"."status" in ('new', 'claimed', 'contacted');--> statement-breakpoint
ALTER TABLE "contact_attempt" ADD CONSTRAINT "contact_attempt_outcome_check" CHECK ("contact_attempt"."outcome" in ('reached', 'no_answer', 'voicemail', 'sent', 'won_back', 'declined', 'do_not_contact'));--> statement-breakpoint
ALTER TABLE "operator" ADD CONSTRAINT "operator_winback_policy_check" CHECK ("operator"."winback_max_attempts" between 1 and 10 and "operator"."winback_max_age_days" between 1 and 365);--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_close_check" CHECK (("winback_item"."status" in ('new', 'claimed', 'contacted')) = ("winback_item"."closed_at" is null) and ("winback_item"."closed_at" is null) = ("winback_item"."close_reason" is null));--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_close_reason_check" CHECK ("winback_item"."close_reason" is null or "winback_item"."close_reason" in ('outcome', 'attempt_limit', 'expired', 'suppressed'));