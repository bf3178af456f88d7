CREATE TABLE "api_key" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" char(64) NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" uuid,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_key_scopes_check" CHECK ("api_key"."scopes" <@ array['contracts:write', 'cases:read', 'returns:write', 'refunds:write']::text[])
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"case_id" uuid,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"data" jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL,
	CONSTRAINT "audit_event_actor_check" CHECK ("audit_event"."actor_type" in ('subscriber', 'staff', 'system', 'integration')),
	CONSTRAINT "audit_event_seq_check" CHECK ("audit_event"."seq" >= 1),
	CONSTRAINT "audit_event_hash_check" CHECK ("audit_event"."hash" ~ '^[0-9a-f]{64}$' and "audit_event"."prev_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "cancellation_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"jurisdiction" text NOT NULL,
	"language" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"requested_end_date" date,
	"effective_end_date" date NOT NULL,
	"termination_type" text NOT NULL,
	"legitimate_reason" text,
	"fee_breakdown" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fee_total_cents" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"source" text DEFAULT 'journey' NOT NULL,
	"acknowledgment_email" text NOT NULL,
	"access_token_hash" char(64) NOT NULL,
	"idempotency_key" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"effective_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cancellation_case_status_check" CHECK ("cancellation_case"."status" in ('received', 'confirmed', 'effective', 'closed', 'withdrawn')),
	CONSTRAINT "cancellation_case_type_check" CHECK ("cancellation_case"."termination_type" in ('ordinary', 'legitimate_reason', 'extraordinary', 'withdrawal')),
	CONSTRAINT "cancellation_case_source_check" CHECK ("cancellation_case"."source" in ('journey', 'notice_match', 'staff', 'api')),
	CONSTRAINT "cancellation_case_jurisdiction_check" CHECK ("cancellation_case"."jurisdiction" in ('FR', 'DE', 'PT')),
	CONSTRAINT "cancellation_case_language_check" CHECK ("cancellation_case"."language" in ('fr', 'en', 'de', 'pt')),
	CONSTRAINT "cancellation_case_fee_check" CHECK ("cancellation_case"."fee_total_cents" >= 0),
	CONSTRAINT "cancellation_case_token_check" CHECK ("cancellation_case"."access_token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "cancellation_case_end_after_receipt_check" CHECK ("cancellation_case"."effective_end_date" >= ("cancellation_case"."received_at" at time zone 'UTC')::date - 1),
	CONSTRAINT "cancellation_case_withdrawn_check" CHECK (("cancellation_case"."status" = 'withdrawn') = ("cancellation_case"."withdrawn_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "carrier_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"return_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"carrier" text,
	"tracking_number" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carrier_event_kind_check" CHECK ("carrier_event"."kind" in ('handed_in', 'in_transit', 'delivered')),
	CONSTRAINT "carrier_event_source_check" CHECK ("carrier_event"."source" in ('api', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "case_contract" (
	"case_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	CONSTRAINT "case_contract_case_id_contract_id_pk" PRIMARY KEY("case_id","contract_id")
);
--> statement-breakpoint
CREATE TABLE "case_line" (
	"case_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	CONSTRAINT "case_line_case_id_line_id_pk" PRIMARY KEY("case_id","line_id")
);
--> statement-breakpoint
CREATE TABLE "contact_attempt" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"winback_item_id" uuid NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"offer_id" uuid,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_attempt_channel_check" CHECK ("contact_attempt"."channel" in ('phone', 'email', 'sms')),
	CONSTRAINT "contact_attempt_outcome_check" CHECK ("contact_attempt"."outcome" in ('reached', 'no_answer', 'voicemail', 'won_back', 'declined', 'do_not_contact'))
);
--> statement-breakpoint
CREATE TABLE "contract" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"contract_number" text NOT NULL,
	"external_id" text,
	"offer_name" text NOT NULL,
	"category" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"monthly_price_cents" integer NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	"start_date" date NOT NULL,
	"commitment_months" integer DEFAULT 0 NOT NULL,
	"tacitly_renewed" boolean DEFAULT false NOT NULL,
	"subsidised_device_value_cents" integer DEFAULT 0 NOT NULL,
	"deposit_cents" integer DEFAULT 0 NOT NULL,
	"prepaid_through" date,
	"credit_balance_cents" integer DEFAULT 0 NOT NULL,
	"withdrawal_period_ends" date,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contract_category_check" CHECK ("contract"."category" in ('internet', 'mobile', 'tv', 'bundle')),
	CONSTRAINT "contract_jurisdiction_check" CHECK ("contract"."jurisdiction" in ('FR', 'DE', 'PT')),
	CONSTRAINT "contract_status_check" CHECK ("contract"."status" in ('active', 'cancellation_pending', 'terminated')),
	CONSTRAINT "contract_amounts_check" CHECK ("contract"."monthly_price_cents" >= 0 and "contract"."subsidised_device_value_cents" >= 0 and "contract"."deposit_cents" >= 0 and "contract"."credit_balance_cents" >= 0),
	CONSTRAINT "contract_commitment_check" CHECK ("contract"."commitment_months" between 0 and 24)
);
--> statement-breakpoint
CREATE TABLE "document" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid,
	"notice_id" uuid,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"file_name" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" char(64) NOT NULL,
	"language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_kind_check" CHECK ("document"."kind" in ('termination_letter', 'withdrawal_letter', 'return_label', 'return_receipt', 'evidence_pack', 'proof', 'item_photo')),
	CONSTRAINT "document_sha256_check" CHECK ("document"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "document_size_check" CHECK ("document"."size_bytes" = octet_length("document"."bytes"))
);
--> statement-breakpoint
CREATE TABLE "email_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid,
	"notice_id" uuid,
	"kind" text NOT NULL,
	"to_address" text NOT NULL,
	"language" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"smtp_message_id" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_message_kind_check" CHECK ("email_message"."kind" in ('acknowledgment', 'withdrawal_confirmation', 'contract_ends_today', 'notice_received', 'notice_rejected', 'return_receipt', 'return_reminder', 'password_reset', 'winback')),
	CONSTRAINT "email_message_status_check" CHECK ("email_message"."status" in ('queued', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "equipment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"model" text NOT NULL,
	"serial" text,
	"must_return" boolean NOT NULL,
	"non_return_charge_cents" integer DEFAULT 0 NOT NULL,
	"deposit_cents" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equipment_kind_check" CHECK ("equipment"."kind" in ('box', 'tv_decoder', 'sim', 'remote', 'powerline', 'phone', 'other')),
	CONSTRAINT "equipment_amounts_check" CHECK ("equipment"."non_return_charge_cents" >= 0 and "equipment"."deposit_cents" >= 0),
	CONSTRAINT "equipment_sim_not_returned_check" CHECK (not ("equipment"."kind" = 'sim' and "equipment"."must_return"))
);
--> statement-breakpoint
CREATE TABLE "equipment_model_charge" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"model" text NOT NULL,
	"charge_cents" integer NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	CONSTRAINT "equipment_model_charge_kind_check" CHECK ("equipment_model_charge"."kind" in ('box', 'tv_decoder', 'sim', 'remote', 'powerline', 'phone', 'other')),
	CONSTRAINT "equipment_model_charge_amount_check" CHECK ("equipment_model_charge"."charge_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "equipment_return" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"return_number" text NOT NULL,
	"method" text,
	"pickup_date" date,
	"pickup_slot" text,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'awaiting_shipment' NOT NULL,
	"label_document_id" uuid,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equipment_return_method_check" CHECK ("equipment_return"."method" is null or "equipment_return"."method" in ('relay_point', 'post_office', 'shop', 'courier_pickup')),
	CONSTRAINT "equipment_return_status_check" CHECK ("equipment_return"."status" in ('awaiting_shipment', 'in_transit', 'received', 'inspected', 'overdue', 'charged'))
);
--> statement-breakpoint
CREATE TABLE "line" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"phone_number" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "line_phone_number_check" CHECK ("line"."phone_number" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "offer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operator" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"legal_name" text NOT NULL,
	"display_name" text NOT NULL,
	"address_line1" text NOT NULL,
	"address_line2" text,
	"postal_code" text NOT NULL,
	"city" text NOT NULL,
	"country" char(2) NOT NULL,
	"registration_number" text NOT NULL,
	"vat_number" text,
	"jurisdiction" text NOT NULL,
	"default_language" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Paris' NOT NULL,
	"support_email" text NOT NULL,
	"support_phone" text,
	"return_deadline_days" integer DEFAULT 30 NOT NULL,
	"return_methods" text[] NOT NULL,
	"return_address" text NOT NULL,
	"audit_retention_years" integer DEFAULT 5 NOT NULL,
	"prospect_retention_months" integer DEFAULT 36 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operator_jurisdiction_check" CHECK ("operator"."jurisdiction" in ('FR', 'DE', 'PT')),
	CONSTRAINT "operator_language_check" CHECK ("operator"."default_language" in ('fr', 'en', 'de', 'pt')),
	CONSTRAINT "operator_return_deadline_check" CHECK ("operator"."return_deadline_days" between 1 and 365),
	CONSTRAINT "operator_retention_check" CHECK ("operator"."audit_retention_years" >= 1 and "operator"."prospect_retention_months" >= 0)
);
--> statement-breakpoint
CREATE TABLE "refund" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"offset_cents" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	"legal_due_date" date,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"payment_reference" text,
	"issued_at" timestamp with time zone,
	"withheld_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refund_kind_check" CHECK ("refund"."kind" in ('deposit', 'advance_payment', 'credit_balance')),
	CONSTRAINT "refund_status_check" CHECK ("refund"."status" in ('scheduled', 'due', 'issued', 'failed', 'withheld')),
	CONSTRAINT "refund_amount_check" CHECK ("refund"."amount_cents" >= 0 and "refund"."offset_cents" between 0 and "refund"."amount_cents"),
	CONSTRAINT "refund_issued_check" CHECK (("refund"."status" <> 'issued') or ("refund"."payment_reference" is not null and "refund"."issued_at" is not null)),
	CONSTRAINT "refund_withheld_check" CHECK (("refund"."status" <> 'withheld') or ("refund"."withheld_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "return_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"return_id" uuid NOT NULL,
	"equipment_id" uuid NOT NULL,
	"condition" text,
	"received_at" timestamp with time zone,
	"photo_document_id" uuid,
	"charge_cents" integer DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'EUR' NOT NULL,
	CONSTRAINT "return_item_condition_check" CHECK ("return_item"."condition" is null or "return_item"."condition" in ('ok', 'damaged', 'missing')),
	CONSTRAINT "return_item_charge_check" CHECK ("return_item"."charge_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "staff_password_reset" (
	"token_hash" char(64) PRIMARY KEY NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_session" (
	"token_hash" char(64) PRIMARY KEY NOT NULL,
	"staff_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"second_factor_done" boolean DEFAULT false NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "staff_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"totp_secret" text,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_user_role_check" CHECK ("staff_user"."role" in ('agent', 'operations', 'compliance', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "subscriber" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"customer_number" text NOT NULL,
	"external_id" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"name_key" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"address_line1" text,
	"postal_code" text,
	"city" text,
	"country" char(2) DEFAULT 'FR' NOT NULL,
	"region" text,
	"language" text DEFAULT 'fr' NOT NULL,
	"marketing_suppressed" boolean DEFAULT false NOT NULL,
	"marketing_suppressed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriber_language_check" CHECK ("subscriber"."language" in ('fr', 'en', 'de', 'pt'))
);
--> statement-breakpoint
CREATE TABLE "survey_response" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"details" text,
	"competitor" text,
	"would_come_back" smallint,
	"contact_consent" boolean DEFAULT false NOT NULL,
	"contact_channel" text,
	"contact_window" text,
	"consent_withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_response_reason_check" CHECK ("survey_response"."reason" in ('price', 'competitor', 'outages', 'speed', 'moving', 'customer_service', 'no_longer_needed', 'other')),
	CONSTRAINT "survey_response_score_check" CHECK ("survey_response"."would_come_back" is null or "survey_response"."would_come_back" between 0 and 10),
	CONSTRAINT "survey_response_consent_check" CHECK (not "survey_response"."contact_consent" or ("survey_response"."contact_channel" is not null and "survey_response"."contact_window" is not null)),
	CONSTRAINT "survey_response_channel_check" CHECK ("survey_response"."contact_channel" is null or "survey_response"."contact_channel" in ('phone', 'email', 'sms')),
	CONSTRAINT "survey_response_window_check" CHECK ("survey_response"."contact_window" is null or "survey_response"."contact_window" in ('morning', 'afternoon', 'evening', 'any'))
);
--> statement-breakpoint
CREATE TABLE "unmatched_notice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"operator_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"submitted" jsonb NOT NULL,
	"email" text NOT NULL,
	"language" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"matched_case_id" uuid,
	"rejection_reason" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unmatched_notice_status_check" CHECK ("unmatched_notice"."status" in ('pending', 'matched', 'rejected')),
	CONSTRAINT "unmatched_notice_language_check" CHECK ("unmatched_notice"."language" in ('fr', 'en', 'de', 'pt')),
	CONSTRAINT "unmatched_notice_resolution_check" CHECK (("unmatched_notice"."status" = 'pending' and "unmatched_notice"."resolved_at" is null)
        or ("unmatched_notice"."status" = 'matched' and "unmatched_notice"."matched_case_id" is not null and "unmatched_notice"."resolved_at" is not null)
        or ("unmatched_notice"."status" = 'rejected' and "unmatched_notice"."rejection_reason" is not null and "unmatched_notice"."resolved_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"last_duration_ms" integer,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_delivery_status_check" CHECK ("webhook_delivery"."status" in ('pending', 'delivered', 'failed', 'abandoned'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoint" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoint_url_check" CHECK ("webhook_endpoint"."url" ~ '^https?://'),
	CONSTRAINT "webhook_endpoint_events_check" CHECK ("webhook_endpoint"."event_types" <@ array['case.notified', 'case.withdrawn', 'case.effective', 'return.item_received', 'refund.issued', 'survey.answered', 'winback.outcome']::text[])
);
--> statement-breakpoint
CREATE TABLE "winback_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"survey_response_id" uuid NOT NULL,
	"queue" text NOT NULL,
	"priority" integer NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"claimed_by" uuid,
	"claimed_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone NOT NULL,
	"offer_id" uuid,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "winback_item_queue_check" CHECK ("winback_item"."queue" in ('offers', 'service_recovery', 'new_address', 'apology')),
	CONSTRAINT "winback_item_status_check" CHECK ("winback_item"."status" in ('new', 'claimed', 'contacted', 'won_back', 'declined', 'no_answer', 'do_not_contact', 'expired')),
	CONSTRAINT "winback_item_claim_check" CHECK (("winback_item"."claimed_by" is null) = ("winback_item"."claimed_at" is null))
);
--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_created_by_staff_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_case" ADD CONSTRAINT "cancellation_case_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_case" ADD CONSTRAINT "cancellation_case_subscriber_id_subscriber_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscriber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_event" ADD CONSTRAINT "carrier_event_return_id_equipment_return_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."equipment_return"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contract" ADD CONSTRAINT "case_contract_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contract" ADD CONSTRAINT "case_contract_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_line" ADD CONSTRAINT "case_line_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_line" ADD CONSTRAINT "case_line_line_id_line_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."line"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attempt" ADD CONSTRAINT "contact_attempt_winback_item_id_winback_item_id_fk" FOREIGN KEY ("winback_item_id") REFERENCES "public"."winback_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attempt" ADD CONSTRAINT "contact_attempt_staff_user_id_staff_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_attempt" ADD CONSTRAINT "contact_attempt_offer_id_offer_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_subscriber_id_subscriber_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscriber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_notice_id_unmatched_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."unmatched_notice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_message" ADD CONSTRAINT "email_message_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_message" ADD CONSTRAINT "email_message_notice_id_unmatched_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."unmatched_notice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_model_charge" ADD CONSTRAINT "equipment_model_charge_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_return" ADD CONSTRAINT "equipment_return_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_return" ADD CONSTRAINT "equipment_return_label_document_id_document_id_fk" FOREIGN KEY ("label_document_id") REFERENCES "public"."document"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line" ADD CONSTRAINT "line_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line" ADD CONSTRAINT "line_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer" ADD CONSTRAINT "offer_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund" ADD CONSTRAINT "refund_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_item" ADD CONSTRAINT "return_item_return_id_equipment_return_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."equipment_return"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_item" ADD CONSTRAINT "return_item_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_item" ADD CONSTRAINT "return_item_photo_document_id_document_id_fk" FOREIGN KEY ("photo_document_id") REFERENCES "public"."document"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_password_reset" ADD CONSTRAINT "staff_password_reset_staff_user_id_staff_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_staff_user_id_staff_user_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."staff_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber" ADD CONSTRAINT "subscriber_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unmatched_notice" ADD CONSTRAINT "unmatched_notice_operator_id_operator_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operator"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unmatched_notice" ADD CONSTRAINT "unmatched_notice_matched_case_id_cancellation_case_id_fk" FOREIGN KEY ("matched_case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unmatched_notice" ADD CONSTRAINT "unmatched_notice_resolved_by_staff_user_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_case_id_cancellation_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cancellation_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_survey_response_id_survey_response_id_fk" FOREIGN KEY ("survey_response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_claimed_by_staff_user_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."staff_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "winback_item" ADD CONSTRAINT "winback_item_offer_id_offer_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offer"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key" USING btree ("prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_event_stream_seq_key" ON "audit_event" USING btree ("stream","seq");--> statement-breakpoint
CREATE INDEX "audit_event_case_idx" ON "audit_event" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "audit_event_occurred_idx" ON "audit_event" USING btree ("occurred_at","id");--> statement-breakpoint
CREATE INDEX "audit_event_type_idx" ON "audit_event" USING btree ("type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cancellation_case_reference_key" ON "cancellation_case" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "cancellation_case_idempotency_key" ON "cancellation_case" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "cancellation_case_access_token_key" ON "cancellation_case" USING btree ("access_token_hash");--> statement-breakpoint
CREATE INDEX "cancellation_case_subscriber_idx" ON "cancellation_case" USING btree ("subscriber_id");--> statement-breakpoint
CREATE INDEX "cancellation_case_received_idx" ON "cancellation_case" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "cancellation_case_status_end_idx" ON "cancellation_case" USING btree ("status","effective_end_date");--> statement-breakpoint
CREATE INDEX "cancellation_case_ack_email_idx" ON "cancellation_case" USING btree (lower("acknowledgment_email"));--> statement-breakpoint
CREATE INDEX "carrier_event_return_idx" ON "carrier_event" USING btree ("return_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_contract_one_open_case_key" ON "case_contract" USING btree ("contract_id") WHERE "case_contract"."open";--> statement-breakpoint
CREATE INDEX "case_line_line_idx" ON "case_line" USING btree ("line_id");--> statement-breakpoint
CREATE INDEX "contact_attempt_item_idx" ON "contact_attempt" USING btree ("winback_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_number_key" ON "contract" USING btree ("operator_id","contract_number");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_external_id_key" ON "contract" USING btree ("operator_id","external_id");--> statement-breakpoint
CREATE INDEX "contract_subscriber_idx" ON "contract" USING btree ("subscriber_id");--> statement-breakpoint
CREATE INDEX "document_case_idx" ON "document" USING btree ("case_id","kind");--> statement-breakpoint
CREATE INDEX "email_message_case_idx" ON "email_message" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "email_message_failed_idx" ON "email_message" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "equipment_contract_idx" ON "equipment" USING btree ("contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_model_charge_model_key" ON "equipment_model_charge" USING btree ("operator_id","model");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_return_case_key" ON "equipment_return" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_return_number_key" ON "equipment_return" USING btree ("return_number");--> statement-breakpoint
CREATE INDEX "equipment_return_status_deadline_idx" ON "equipment_return" USING btree ("status","deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "line_phone_number_key" ON "line" USING btree ("operator_id","phone_number");--> statement-breakpoint
CREATE INDEX "line_contract_idx" ON "line" USING btree ("contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offer_code_key" ON "offer" USING btree ("operator_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "operator_slug_key" ON "operator" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "refund_case_kind_key" ON "refund" USING btree ("case_id","kind");--> statement-breakpoint
CREATE INDEX "refund_status_due_idx" ON "refund" USING btree ("status","legal_due_date");--> statement-breakpoint
CREATE UNIQUE INDEX "return_item_equipment_key" ON "return_item" USING btree ("return_id","equipment_id");--> statement-breakpoint
CREATE INDEX "staff_password_reset_user_idx" ON "staff_password_reset" USING btree ("staff_user_id");--> statement-breakpoint
CREATE INDEX "staff_session_user_idx" ON "staff_session" USING btree ("staff_user_id");--> statement-breakpoint
CREATE INDEX "staff_session_expires_idx" ON "staff_session" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_user_email_key" ON "staff_user" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "subscriber_customer_number_key" ON "subscriber" USING btree ("operator_id","customer_number");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriber_external_id_key" ON "subscriber" USING btree ("operator_id","external_id");--> statement-breakpoint
CREATE INDEX "subscriber_email_idx" ON "subscriber" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "subscriber_name_key_idx" ON "subscriber" USING btree ("name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_response_case_key" ON "survey_response" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "survey_response_created_idx" ON "survey_response" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "unmatched_notice_reference_key" ON "unmatched_notice" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "unmatched_notice_idempotency_key" ON "unmatched_notice" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "unmatched_notice_status_idx" ON "unmatched_notice" USING btree ("status","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_event_key" ON "webhook_delivery" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_status_idx" ON "webhook_delivery" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "winback_item_survey_key" ON "winback_item" USING btree ("survey_response_id");--> statement-breakpoint
CREATE INDEX "winback_item_queue_idx" ON "winback_item" USING btree ("queue","status","priority");