import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { runMigrations, shippedMigrationCount } from "../../db/migrate";
import { setupOwnDatabase } from "../setup/test-db";

const fresh = setupOwnDatabase("migrations", { from: "empty" });

const DOMAIN_TABLES = [
  "analytics_refresh",
  "api_idempotency_key",
  "api_key",
  "audit_checkpoint",
  "audit_checkpoint_head",
  "audit_event",
  "audit_export",
  "audit_signing_key",
  "cancellation_case",
  "carrier_event",
  "case_contract",
  "case_line",
  "case_weekly_rollup",
  "contact_attempt",
  "contract",
  "document",
  "email_message",
  "equipment",
  "equipment_model_charge",
  "equipment_return",
  "import_run",
  "line",
  "offer",
  "operator",
  "rate_limit",
  "refund",
  "return_item",
  "staff_password_reset",
  "staff_session",
  "staff_user",
  "subscriber",
  "survey_response",
  "survey_weekly_rollup",
  "unmatched_notice",
  "webhook_delivery",
  "webhook_delivery_attempt",
  "webhook_endpoint",
  "winback_contact_rollup",
  "winback_item",
  "winback_route",
  "winback_weekly_rollup",
];

describe("migrations", () => {
  it("take a fresh database to the latest schema, and a second run changes nothing", async () => {
    await runMigrations(fresh.url());
    await runMigrations(fresh.url());
    const sql = postgres(fresh.url(), { max: 1, onnotice: () => undefined });
    try {
      const tables = await sql<
        { tablename: string }[]
      >`select tablename from pg_tables where schemaname = 'public' order by tablename`;
      expect(tables.map((table) => table.tablename)).toEqual(DOMAIN_TABLES);
      const [applied] = await sql<
        { count: number }[]
      >`select count(*)::int as count from drizzle.__drizzle_migrations`;
      expect(applied!.count).toBe(await shippedMigrationCount());
      const triggers =
        await sql`select tgname from pg_trigger where tgrelid = 'audit_event'::regclass and not tgisinternal`;
      expect(triggers.map((trigger) => trigger.tgname)).toEqual(["audit_event_append_only"]);
      // Signed checkpoints, their heads and the signing keys are append-only too (0009).
      const checkpointTriggers = await sql<{ tgname: string }[]>`select tgname from pg_trigger
        where tgrelid in ('audit_checkpoint'::regclass, 'audit_checkpoint_head'::regclass, 'audit_signing_key'::regclass)
        and not tgisinternal order by tgname`;
      expect(checkpointTriggers.map((trigger) => trigger.tgname)).toEqual([
        "audit_checkpoint_append_only",
        "audit_checkpoint_head_append_only",
        "audit_signing_key_append_only",
      ]);
    } finally {
      await sql.end();
    }
  });

  it("enforce the domain's constraints", async () => {
    const sql = postgres(fresh.url(), { max: 1, onnotice: () => undefined });
    try {
      const checks = await sql<
        { conname: string }[]
      >`select conname from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace`;
      const names = checks.map((check) => check.conname);
      for (const expected of [
        "contract_commitment_check",
        "refund_amount_check",
        "cancellation_case_status_check",
        "equipment_sim_not_returned_check",
        "survey_response_consent_check",
        "survey_weekly_rollup_tenure_check",
        "winback_contact_rollup_contact_check",
        "analytics_refresh_single_row_check",
      ]) {
        expect(names).toContain(expected);
      }
      await expect(sql`insert into operator (slug, legal_name, display_name, address_line1, postal_code, city, country, registration_number, jurisdiction, default_language, support_email, return_methods, return_address)
        values ('x', 'X', 'X', 'a', '1', 'c', 'FR', 'r', 'XX', 'fr', 'e', '{}', 'a')`).rejects.toThrow(
        /operator_jurisdiction_check/,
      );
    } finally {
      await sql.end();
    }
  });
});
