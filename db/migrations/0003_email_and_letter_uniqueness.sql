DROP INDEX "email_message_case_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "document_one_letter_key" ON "document" USING btree ("case_id","kind") WHERE "document"."kind" = 'termination_letter';--> statement-breakpoint
CREATE UNIQUE INDEX "email_message_case_kind_key" ON "email_message" USING btree ("case_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "email_message_notice_kind_key" ON "email_message" USING btree ("notice_id","kind");