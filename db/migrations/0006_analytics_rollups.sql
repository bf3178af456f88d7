CREATE TABLE "analytics_refresh" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "analytics_refresh_single_row_check" CHECK ("analytics_refresh"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "case_weekly_rollup" (
	"week" date NOT NULL,
	"category" text NOT NULL,
	"cases" integer NOT NULL,
	"answered" integer NOT NULL,
	"with_consent" integer NOT NULL,
	CONSTRAINT "case_weekly_rollup_week_category_pk" PRIMARY KEY("week","category")
);
--> statement-breakpoint
CREATE TABLE "survey_weekly_rollup" (
	"week" date NOT NULL,
	"reason" text NOT NULL,
	"category" text NOT NULL,
	"tenure_band" smallint NOT NULL,
	"region" text,
	"answers" integer NOT NULL,
	CONSTRAINT "survey_weekly_rollup_tenure_check" CHECK ("survey_weekly_rollup"."tenure_band" between 0 and 3)
);
--> statement-breakpoint
CREATE TABLE "winback_contact_rollup" (
	"week" date NOT NULL,
	"queue" text NOT NULL,
	"first_contact_minutes" integer,
	"within_sla" boolean,
	"items" integer NOT NULL,
	CONSTRAINT "winback_contact_rollup_contact_check" CHECK (("winback_contact_rollup"."first_contact_minutes" is null) = ("winback_contact_rollup"."within_sla" is null))
);
--> statement-breakpoint
CREATE TABLE "winback_weekly_rollup" (
	"week" date NOT NULL,
	"queue" text NOT NULL,
	"offer_id" uuid,
	"status" text NOT NULL,
	"items" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "survey_weekly_rollup_week_idx" ON "survey_weekly_rollup" USING btree ("week");--> statement-breakpoint
CREATE INDEX "winback_contact_rollup_week_idx" ON "winback_contact_rollup" USING btree ("week","queue");--> statement-breakpoint
CREATE INDEX "winback_weekly_rollup_week_idx" ON "winback_weekly_rollup" USING btree ("week");