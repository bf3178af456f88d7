import { z } from "zod";
import { ACTOR_TYPES, AUDIT_EXPORT_FORMATS } from "~/domain/enums";

// The catalogue of audit events: every state change of the portal writes one of these.
// `data` holds references and codes only — never free text typed by a person, never a name,
// an email or an address — so personal data can be erased without breaking a hash chain.
// Objects are strict: an unknown key is a programming error, not something to store.

const Ref = z.string().min(1).max(120);
const IsoDate = z.iso.date();
/** The staff access log's filters, as recorded when it is viewed or exported. */
const AccessLogFilters = z.strictObject({
  staffId: z.uuid().optional(),
  reference: Ref.optional(),
  type: z.string().max(60).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

export const AuditEventSchema = z.discriminatedUnion("type", [
  // The subscriber was matched to contract(s) on the identify page.
  z.object({
    type: z.literal("case.identified"),
    data: z.strictObject({ subscriberId: z.uuid(), contractIds: z.array(z.uuid()).min(1) }),
  }),
  // The summary (end date, fees, equipment, refunds) was shown before the notify button.
  z.object({
    type: z.literal("case.summary_shown"),
    data: z.strictObject({
      contractIds: z.array(z.uuid()).min(1),
      earliestEndDate: IsoDate,
      feeTotalCents: z.int().min(0),
    }),
  }),
  // The notify button was pressed: the legal receipt of the notice.
  z.object({
    type: z.literal("case.notified"),
    data: z.strictObject({
      reference: Ref,
      receivedAt: z.iso.datetime(),
      contractIds: z.array(z.uuid()).min(1),
      effectiveEndDate: IsoDate,
      terminationType: z.string(),
      feeTotalCents: z.int().min(0),
      /** Set when operations matched an unmatched notice: the receipt time is the notice's. */
      noticeId: z.uuid().optional(),
    }),
  }),
  // A confirmation step done by the operator (e.g. after a legitimate-reason proof was checked).
  z.object({ type: z.literal("case.confirmed"), data: z.strictObject({ reference: Ref }) }),
  // The subscriber withdrew the cancellation before its end date.
  z.object({ type: z.literal("case.withdrawn"), data: z.strictObject({ reference: Ref }) }),
  // The end date was reached: the contracts are terminated.
  z.object({
    type: z.literal("case.effective"),
    data: z.strictObject({ reference: Ref, effectiveEndDate: IsoDate }),
  }),
  // Everything is settled (equipment, refunds): the case is closed.
  z.object({ type: z.literal("case.closed"), data: z.strictObject({ reference: Ref }) }),
  // A staff member opened the case (every staff read is audited).
  z.object({ type: z.literal("case.viewed"), data: z.strictObject({ view: z.string().max(60) }) }),
  // A document (letter, label, evidence pack) was produced and stored with its SHA-256.
  z.object({
    type: z.literal("document.created"),
    data: z.strictObject({
      documentId: z.uuid(),
      kind: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  }),
  // One attempt to send an email, and its result.
  z.object({
    type: z.literal("email.attempted"),
    data: z.strictObject({
      emailId: z.uuid(),
      kind: z.string(),
      attempt: z.int().min(1),
      outcome: z.enum(["sent", "failed"]),
      smtpMessageId: z.string().optional(),
      errorCode: z.string().optional(),
    }),
  }),
  // A notice that could not be matched was received (kept with its receipt time).
  z.object({
    type: z.literal("notice.received"),
    data: z.strictObject({ reference: Ref, receivedAt: z.iso.datetime() }),
  }),
  // Operations matched a notice to a contract; the case keeps the original receipt time.
  z.object({
    type: z.literal("notice.matched"),
    data: z.strictObject({ noticeId: z.uuid(), caseReference: Ref }),
  }),
  // Operations rejected a notice; the reason code is emailed to the notifier.
  z.object({
    type: z.literal("notice.rejected"),
    data: z.strictObject({ noticeId: z.uuid(), reasonCode: z.string().max(60) }),
  }),
  // The optional exit survey was answered (consent is recorded, the answer itself is not).
  z.object({
    type: z.literal("survey.answered"),
    data: z.strictObject({ surveyResponseId: z.uuid(), contactConsent: z.boolean() }),
  }),
  // Consent to be contacted was withdrawn / the subscriber asked not to be contacted: from the
  // link in a retention email, through an agent, or by answering the survey again without it.
  z.object({
    type: z.literal("consent.withdrawn"),
    data: z.strictObject({
      subscriberId: z.uuid(),
      via: z.enum(["email_link", "agent", "survey"]).optional(),
      closedItemIds: z.array(z.uuid()).optional(),
    }),
  }),
  // A survey answer with consent was routed to a win-back queue (or re-routed when answered again).
  z.object({
    type: z.literal("winback.item_routed"),
    data: z.strictObject({
      itemId: z.uuid(),
      queue: z.string().max(40),
      priority: z.int().min(0).max(100),
      slaDueAt: z.iso.datetime(),
    }),
  }),
  // An agent claimed or released a win-back item.
  z.object({
    type: z.literal("winback.claimed"),
    data: z.strictObject({ itemId: z.uuid(), action: z.enum(["claimed", "released"]) }),
  }),
  // An agent logged a contact attempt (the note stays in the workspace, not in the chain).
  z.object({
    type: z.literal("winback.contact_logged"),
    data: z.strictObject({
      itemId: z.uuid(),
      attemptId: z.uuid(),
      channel: z.string().max(20),
      outcome: z.string().max(20),
      offerCode: z.string().max(60).nullable(),
      emailScheduledFor: z.iso.datetime().optional(),
    }),
  }),
  // A win-back item closed: an outcome, the attempt limit, its age, or a suppression.
  z.object({
    type: z.literal("winback.closed"),
    data: z.strictObject({
      itemId: z.uuid(),
      status: z.string().max(20),
      closeReason: z.string().max(20),
      offerCode: z.string().max(60).nullable(),
    }),
  }),
  // The return plan of a case was set up at notification: items, deadline.
  z.object({
    type: z.literal("return.created"),
    data: z.strictObject({
      returnNumber: Ref,
      equipmentIds: z.array(z.uuid()).min(1),
      deadline: IsoDate,
    }),
  }),
  // The subscriber chose or changed how to send the equipment back.
  z.object({
    type: z.literal("return.method_chosen"),
    data: z.strictObject({
      returnNumber: Ref,
      method: z.string().max(40),
      pickupDate: IsoDate.optional(),
      pickupSlot: z.string().max(20).optional(),
    }),
  }),
  // The return's status changed (in transit, received, inspected, overdue, charged, cancelled).
  z.object({
    type: z.literal("return.updated"),
    data: z.strictObject({ returnNumber: Ref, status: z.string(), method: z.string().nullable() }),
  }),
  // A carrier event (handed in, in transit, delivered) from the carrier's API or typed by staff.
  z.object({
    type: z.literal("return.carrier_event"),
    data: z.strictObject({
      returnNumber: Ref,
      carrierEventId: z.uuid(),
      kind: z.string().max(40),
      source: z.enum(["api", "manual"]),
      occurredAt: z.iso.datetime({ offset: true }),
    }),
  }),
  // The warehouse received items (one reception: one itemised receipt email).
  z.object({
    type: z.literal("return.items_received"),
    data: z.strictObject({
      returnNumber: Ref,
      receptionId: z.uuid(),
      items: z
        .array(
          z.strictObject({
            equipmentId: z.uuid(),
            condition: z.enum(["ok", "damaged", "missing"]),
            photoDocumentId: z.uuid().optional(),
          }),
        )
        .min(1),
    }),
  }),
  // The deadline passed with items missing: they were charged, at most what was announced.
  z.object({
    type: z.literal("return.charged"),
    data: z.strictObject({
      returnNumber: Ref,
      equipmentIds: z.array(z.uuid()).min(1),
      chargeCents: z.int().min(0),
    }),
  }),
  // A refund was set up or changed state (scheduled, due, issued, failed, withheld, cancelled).
  z.object({
    type: z.literal("refund.updated"),
    data: z.strictObject({
      refundId: z.uuid(),
      kind: z.string().max(40).optional(),
      status: z.string(),
      amountCents: z.int().min(0),
      offsetCents: z.int().min(0).optional(),
      legalDueDate: IsoDate.optional(),
      /** A code (`equipment_charged`, `bank_rejected` …), never free text. */
      reasonCode: z.string().max(60).optional(),
    }),
  }),
  // A staff member opened an unmatched notice.
  z.object({ type: z.literal("notice.viewed"), data: z.strictObject({ noticeId: z.uuid() }) }),
  // Compliance downloaded one legal-deadline KPI as CSV (stream `staff:<id>`): which, which days.
  z.object({
    type: z.literal("kpi.exported"),
    data: z.strictObject({ kpi: z.string().max(60), from: IsoDate, to: IsoDate }),
  }),
  // Compliance opened the staff access log (stream `staff:<id>`), with the filters it used:
  // a staff id, a case or notice reference, an event type, days.
  z.object({
    type: z.literal("access_log.viewed"),
    data: z.strictObject({ filters: AccessLogFilters }),
  }),
  // Compliance downloaded the (filtered) staff access log as CSV (stream `staff:<id>`).
  z.object({
    type: z.literal("access_log.exported"),
    data: z.strictObject({ filters: AccessLogFilters }),
  }),
  // A staff account signed in / out / was locked (stream `staff:<id>`).
  z.object({
    type: z.literal("staff.session"),
    data: z.strictObject({
      action: z.enum([
        "signed_in",
        "signed_out",
        "signed_out_everywhere",
        "locked",
        "sign_in_failed",
        "second_factor_failed",
      ]),
    }),
  }),
  // A staff account was created or changed (stream `staff:<id>` of the account changed; the
  // actor is the admin, or the staff member for their own account).
  z.object({
    type: z.literal("staff.account"),
    data: z.strictObject({
      action: z.enum([
        "created",
        "role_changed",
        "disabled",
        "enabled",
        "unlocked",
        "password_changed",
        "password_reset_requested",
        "password_reset",
        "totp_enabled",
        "totp_disabled",
      ]),
      role: z.string().optional(),
    }),
  }),
  // Admin changed where an exit reason goes (stream `settings:winback`).
  z.object({
    type: z.literal("winback.rule_changed"),
    data: z.strictObject({
      reason: z.string().max(40),
      queue: z.string().max(40).nullable(),
      slaHours: z.int(),
      previousQueue: z.string().max(40).nullable(),
      previousSlaHours: z.int(),
    }),
  }),
  // Admin changed the retention policy's limits (stream `settings:winback`).
  z.object({
    type: z.literal("winback.policy_changed"),
    data: z.strictObject({
      maxAttempts: z.int(),
      maxAgeDays: z.int(),
      previousMaxAttempts: z.int(),
      previousMaxAgeDays: z.int(),
    }),
  }),
  // Admin added, edited, deactivated or reactivated a win-back offer (stream `settings:winback`).
  // Name and description are the operator's catalogue wording, not personal data; offers are
  // never deleted, so the chain keeps the values before and after (previous* null on creation).
  z.object({
    type: z.literal("winback.offer_changed"),
    data: z.strictObject({
      offerId: z.uuid(),
      code: z.string().max(60),
      action: z.enum(["created", "edited", "deactivated", "reactivated"]),
      name: z.string().max(200),
      previousName: z.string().max(200).nullable(),
      description: z.string().max(2000),
      previousDescription: z.string().max(2000).nullable(),
      active: z.boolean(),
      previousActive: z.boolean().nullable(),
    }),
  }),
  // Data retention (docs/decisions/012): the job pseudonymised one subscriber's personal data
  // (stream `subscriber:<id>`) or one rejected notice's (stream `notice:<id>`). Which rule,
  // which categories and how many rows — nothing personal; the events of the case chains are
  // never touched.
  z.object({
    type: z.literal("retention.pseudonymised"),
    data: z.strictObject({
      rule: z.enum(["prospect", "records"]),
      endedOn: IsoDate,
      categories: z.array(z.string().max(40)),
      counts: z.strictObject({
        surveyAnswers: z.int().min(0),
        contactNotes: z.int().min(0),
        cases: z.int().min(0),
        lines: z.int().min(0),
        documents: z.int().min(0),
        emails: z.int().min(0),
        notices: z.int().min(0),
      }),
      recordsYears: z.int().min(1),
      prospectMonths: z.int().min(0),
    }),
  }),
  // One run of the retention job for one operator (stream `retention:runs`), even with nothing due.
  z.object({
    type: z.literal("retention.applied"),
    data: z.strictObject({
      operatorId: z.uuid(),
      asOf: IsoDate,
      trigger: z.enum(["job", "cli"]),
      subscribers: z.int().min(0),
      prospectOnly: z.int().min(0),
      notices: z.int().min(0),
      documents: z.int().min(0),
      heldBack: z.int().min(0),
      recordsYears: z.int().min(1),
      prospectMonths: z.int().min(0),
    }),
  }),
  // Admin changed the retention periods (stream `settings:retention`).
  z.object({
    type: z.literal("retention.policy_changed"),
    data: z.strictObject({
      recordsYears: z.int(),
      prospectMonths: z.int(),
      previousRecordsYears: z.int(),
      previousProspectMonths: z.int(),
    }),
  }),
  // The case's evidence pack (ZIP: summary, documents, events, chain proof) was generated and
  // downloaded, by staff or by the subscriber through the case link (the pack is not stored).
  z.object({
    type: z.literal("evidence.downloaded"),
    data: z.strictObject({
      reference: Ref,
      /** The checkpoint whose Merkle proof the pack carries (null: none covers the case yet). */
      checkpointId: z.int().min(1).nullable(),
    }),
  }),
  // Staff exported everything held on one subscriber (GDPR art. 15; stream `subscriber:<id>`).
  z.object({
    type: z.literal("subject_access.exported"),
    data: z.strictObject({
      subscriberId: z.uuid(),
      caseIds: z.array(z.uuid()),
      documents: z.int().min(0),
    }),
  }),
  // The whole audit trail was verified (docs/decisions/009): every chain, every checkpoint and
  // the database against the latest checkpoint. Stream `staff:<id>` from the compliance page,
  // `system` from `npm run audit:verify`. Counts, and the first problem of each kind (streams
  // and checkpoint ids are references).
  z.object({
    type: z.literal("audit.verified"),
    data: z.strictObject({
      ok: z.boolean(),
      streams: z.int().min(0),
      events: z.int().min(0),
      brokenChains: z.int().min(0),
      checkpoints: z.int().min(0),
      badCheckpoints: z.int().min(0),
      latestCheckpointId: z.int().min(1).nullable(),
      missingHeads: z.int().min(0),
      firstBrokenChain: z
        .strictObject({ stream: Ref, seq: z.int().min(1), problem: z.string().max(60) })
        .nullable(),
      firstBadCheckpoint: z
        .strictObject({ checkpointId: z.int().min(1), problems: z.array(z.string().max(60)) })
        .nullable(),
      firstMissingHead: z
        .strictObject({ stream: Ref, seq: z.int().min(1), problem: z.string().max(60) })
        .nullable(),
      durationMs: z.int().min(0),
    }),
  }),
  // Admin signed a checkpoint from the compliance page (stream `staff:<id>`); the hourly job's
  // checkpoints are recorded by their own signed, append-only rows.
  z.object({
    type: z.literal("audit.checkpoint_taken"),
    data: z.strictObject({
      checkpointId: z.int().min(1),
      streams: z.int().min(0),
      changedStreams: z.int().min(0),
    }),
  }),
  // Admin created, edited, disabled, enabled a webhook endpoint, rotated or revealed its secret;
  // or the delivery worker disabled it after a day of failures (stream `settings:webhooks`).
  // The endpoint's URL and description stay out of the chain (a URL may carry a token).
  z.object({
    type: z.literal("webhook.endpoint_changed"),
    data: z.strictObject({
      endpointId: z.uuid(),
      action: z.enum([
        "created",
        "edited",
        "disabled",
        "enabled",
        "secret_rotated",
        "secret_revealed",
        "auto_disabled",
      ]),
      eventTypes: z.array(z.string().max(40)),
      enabled: z.boolean(),
      consecutiveFailures: z.int().min(0).optional(),
    }),
  }),
  // Admin sent a test event to an endpoint or redelivered a delivery (stream `settings:webhooks`).
  z.object({
    type: z.literal("webhook.delivery_requested"),
    data: z.strictObject({
      endpointId: z.uuid(),
      deliveryId: z.uuid(),
      kind: z.enum(["test", "redeliver"]),
    }),
  }),
  // Admin created or revoked an API key (stream `settings:api`). No key material, not even its
  // prefix, and not its name (typed by a person): the id and the scopes only.
  z.object({
    type: z.literal("api_key.created"),
    data: z.strictObject({ apiKeyId: z.uuid(), scopes: z.array(z.string().max(40)).min(1) }),
  }),
  z.object({
    type: z.literal("api_key.revoked"),
    data: z.strictObject({ apiKeyId: z.uuid() }),
  }),
  // The demo data were (re)created (stream `system`).
  z.object({
    type: z.literal("system.seeded"),
    data: z.strictObject({ subscribers: z.int().min(0), cases: z.int().min(0) }),
  }),
  // An export of the audit trail was delivered (docs/decisions/009): stream `staff:<id>` from the
  // back office, `system` from `npm run audit:export`. Filters as codes and ids, the row count
  // and the file's SHA-256 — the file itself is described by the export's signed manifest.
  z.object({
    type: z.literal("audit.exported"),
    data: z.strictObject({
      exportId: z.uuid(),
      format: z.enum(AUDIT_EXPORT_FORMATS),
      gzip: z.boolean(),
      filters: z.strictObject({
        from: z.iso.datetime().nullable(),
        to: z.iso.datetime().nullable(),
        caseId: z.uuid().nullable(),
        caseReference: Ref.nullable(),
        types: z.array(z.string().max(60)),
        actorType: z.enum(ACTOR_TYPES).nullable(),
        actorId: Ref.nullable(),
      }),
      rows: z.int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  }),
  // The operator's BSS created or changed one contract (integration API or bulk import; stream
  // `contract:<id>`): external ids and counts only, which parts changed, never the values.
  z.object({
    type: z.literal("integration.contract_upserted"),
    data: z.strictObject({
      contractId: z.uuid(),
      subscriberId: z.uuid(),
      contractExternalId: Ref,
      subscriberExternalId: Ref,
      outcome: z.enum(["created", "updated"]),
      source: z.enum(["api", "import"]),
      importRunId: z.uuid().nullable(),
      changed: z.array(z.enum(["subscriber", "contract", "lines", "equipment"])),
      lines: z.strictObject({
        added: z.int().min(0),
        removed: z.int().min(0),
        kept: z.int().min(0),
      }),
      equipment: z.strictObject({
        added: z.int().min(0),
        changed: z.int().min(0),
        removed: z.int().min(0),
        kept: z.int().min(0),
      }),
    }),
  }),
]);

export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEventType = AuditEvent["type"];
export type AuditEventData<T extends AuditEventType> = Extract<AuditEvent, { type: T }>["data"];

export const ActorSchema = z.object({
  type: z.enum(ACTOR_TYPES),
  id: z.string().max(120).nullable(),
});
export type Actor = z.infer<typeof ActorSchema>;

/** Who asked, captured once per request and passed down to services. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: "system", id: null };
export const NO_REQUEST: RequestMeta = { ip: null, userAgent: null };
