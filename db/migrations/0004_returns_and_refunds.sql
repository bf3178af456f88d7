ALTER TABLE "email_message" DROP CONSTRAINT "email_message_kind_check";--> statement-breakpoint
ALTER TABLE "equipment_return" DROP CONSTRAINT "equipment_return_status_check";--> statement-breakpoint
ALTER TABLE "refund" DROP CONSTRAINT "refund_status_check";--> statement-breakpoint
ALTER TABLE "return_item" DROP CONSTRAINT "return_item_charge_check";--> statement-breakpoint
DROP INDEX "email_message_case_kind_key";--> statement-breakpoint
ALTER TABLE "carrier_event" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "carrier_event" ADD COLUMN "location" text;--> statement-breakpoint
ALTER TABLE "email_message" ADD COLUMN "dedupe_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "equipment_return" ADD COLUMN "charged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "refund" ADD COLUMN "clock_started_on" date;--> statement-breakpoint
ALTER TABLE "refund" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "return_item" ADD COLUMN "reception_id" uuid;--> statement-breakpoint
ALTER TABLE "return_item" ADD COLUMN "non_return_charge_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_event_external_key" ON "carrier_event" USING btree ("external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "document_one_label_key" ON "document" USING btree ("case_id","kind") WHERE "document"."kind" = 'return_label';--> statement-breakpoint
CREATE INDEX "return_item_reception_idx" ON "return_item" USING btree ("reception_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_message_case_kind_key" ON "email_message" USING btree ("case_id","kind","dedupe_key");--> statement-breakpoint
ALTER TABLE "email_message" ADD CONSTRAINT "email_message_kind_check" CHECK ("email_message"."kind" in ('acknowledgment', 'withdrawal_confirmation', 'contract_ends_today', 'notice_received', 'notice_rejected', 'return_receipt', 'return_reminder', 'return_charged', 'refund_issued', 'password_reset', 'winback'));--> statement-breakpoint
ALTER TABLE "equipment_return" ADD CONSTRAINT "equipment_return_status_check" CHECK ("equipment_return"."status" in ('awaiting_shipment', 'in_transit', 'received', 'inspected', 'overdue', 'charged', 'cancelled'));--> statement-breakpoint
ALTER TABLE "refund" ADD CONSTRAINT "refund_status_check" CHECK ("refund"."status" in ('scheduled', 'due', 'issued', 'failed', 'withheld', 'cancelled'));--> statement-breakpoint
ALTER TABLE "return_item" ADD CONSTRAINT "return_item_received_check" CHECK (("return_item"."received_at" is null) = ("return_item"."condition" is null or "return_item"."condition" = 'missing'));--> statement-breakpoint
ALTER TABLE "return_item" ADD CONSTRAINT "return_item_charge_check" CHECK ("return_item"."charge_cents" >= 0 and "return_item"."charge_cents" <= "return_item"."non_return_charge_cents");