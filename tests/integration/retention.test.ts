import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeCheckpoint, verifyAuditTrail } from "../../app/audit/checkpoints.server";
import { createAuditSigner } from "../../app/audit/signing.server";
import { verifyAllStreams } from "../../app/audit/verify-chain.server";
import type { StaffContext } from "../../app/auth/require-staff.server";
import { parseEnv, type Env } from "../../app/config/env.server";
import { createLogger } from "../../app/config/logger.server";
import {
  addDays,
  addMonths,
  dateInZone,
  instantInZone,
  type IsoDate,
} from "../../app/domain/dates";
import {
  isPseudonymousEmail,
  isPseudonymousLineNumber,
  pseudonymousName,
} from "../../app/domain/pseudonyms";
import { createMailer, type Mailer } from "../../app/mail/mailer.server";
import { ensureTerminationLetter } from "../../app/services/ensure-termination-letter.server";
import { markCasesEffective } from "../../app/services/mark-cases-effective.server";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import { recordUnmatchedNotice } from "../../app/services/record-unmatched-notice.server";
import {
  applyRetention,
  RETENTION_RUNS_STREAM,
  streamForSubscriber,
  type OperatorRetentionRun,
} from "../../app/services/retention/apply-retention.server";
import { RETENTION_SETTINGS_STREAM } from "../../app/services/retention/retention-policy.server";
import { ensureReturnLabel } from "../../app/services/returns/ensure-return-label.server";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import { sendEmail } from "../../app/services/send-email.server";
import { rejectNotice } from "../../app/services/staff/unmatched-notices.server";
import { contactWindowState } from "../../app/domain/winback-policy";
import { claimWinbackItem, logContactAttempt } from "../../app/services/winback/actions.server";
import {
  auditEvents,
  cancellationCases,
  contactAttempts,
  contracts,
  documents,
  emailMessages,
  lines,
  operators,
  refunds,
  staffUsers,
  subscribers,
  surveyResponses,
  unmatchedNotices,
  winbackItems,
  type Operator,
} from "../../db/schema";
import {
  insertCase,
  insertContract,
  insertEquipment,
  insertLine,
  insertOperator,
  insertStaffUser,
  insertSubscriber,
} from "../factories";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { startTestSmtp, type TestSmtp } from "../setup/smtp";
import { getPage, postForm, signIn } from "../setup/staff-http";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

// Issue #8 part 6, data retention. At service level on real Postgres: Camille Martin's whole
// journey (notice through the real service, letter and label, acknowledgment email over real
// SMTP, exit survey with consent, a win-back call with a note, an unmatched notice rejected,
// the case effective), then the retention job on a clock moved 4 and 6 years ahead. Then over
// HTTP against the production build: how a pseudonymised case reads for staff and for the
// subscriber, the 410 pages of purged documents, and the policy page's roles.
const db = setupTestDatabase();
const jobs = setupAppJobQueue();
const logger = createLogger("silent");
const SECRET = "retention-test-secret-0123456789abcdef";
const APP_URL = "http://localhost:3000";
const PARIS = "Europe/Paris";
const meta = { ip: "198.51.100.7", userAgent: "Mozilla/5.0 (vitest retention)" };

/** Everything typed by or about Camille: none of it may survive the records rule. */
const CAMILLE_TRACES = [
  "Camille",
  "Martin",
  "camille.martin@example.com",
  "33123456789",
  "Roquette",
  "06 11 22 33 44",
  "rappeler",
];

let smtp: TestSmtp;
let mailer: Mailer;
let env: Env;

beforeAll(async () => {
  smtp = await startTestSmtp();
  env = parseEnv({ SMTP_URL: smtp.url, SESSION_SECRET: SECRET, APP_URL, NODE_ENV: "test" });
  mailer = await createMailer(env, logger);
});
afterAll(async () => {
  await mailer.close();
  await smtp.close();
});

/** 03:30 in Paris on `date`: when the nightly job runs. */
const nightOf = (date: IsoDate) => instantInZone(`${date}T03:30`, PARIS)!;

interface Journey {
  operator: Operator;
  subscriberId: string;
  caseId: string;
  endDate: IsoDate;
  noticeId: string;
  itemId: string;
}

/** Camille Martin leaves Nébula: every step through the portal's own services. */
async function camilleJourney(): Promise<Journey> {
  const operator = await insertOperator(db);
  const today = dateInZone(new Date(), PARIS);
  const camille = await insertSubscriber(db, {
    operatorId: operator.id,
    firstName: "Camille",
    lastName: "Martin",
    email: "camille.martin@example.com",
    phone: "+33123456789",
    addressLine1: "8 rue de la Roquette",
    postalCode: "75011",
    city: "Paris",
    region: "Île-de-France",
  });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: camille.id,
    offerName: "Fibre 1 Gb/s + TV",
    category: "bundle",
    startDate: addMonths(today, -30),
  });
  await insertLine(db, {
    operatorId: operator.id,
    contractId: contract.id,
    phoneNumber: "+33123456789",
  });
  await insertEquipment(db, {
    contractId: contract.id,
    kind: "box",
    model: "Nébula Box 8",
    mustReturn: true,
    depositCents: 4900,
    nonReturnChargeCents: 15000,
  });
  const notifiedAt = new Date();
  const notified = await notifyCancellation(
    { db, jobs, secret: SECRET, now: () => notifiedAt },
    {
      subscriberId: camille.id,
      contractIds: [contract.id],
      acknowledgmentEmail: "camille.martin@example.com",
      endDate: { kind: "earliest" },
      legitimateReason: null,
      proof: null,
      idempotencyKey: `journey-${randomUUID()}`,
      language: "fr",
      identifiedAt: new Date(notifiedAt.getTime() - 120_000),
      summaryShownAt: new Date(notifiedAt.getTime() - 60_000),
      meta,
    },
  );
  if (notified.kind !== "notified") throw new Error(`notify failed: ${notified.kind}`);
  const caseId = notified.caseId;
  await ensureTerminationLetter(db, caseId, APP_URL);
  await ensureReturnLabel(db, caseId);
  expect(
    await sendEmail(
      { db, mailer, env, logger },
      { kind: "acknowledgment", target: { caseId }, retryCount: 0, retryLimit: 10 },
    ),
  ).toBe("sent");

  // The exit survey, with consent to a call; an agent calls and leaves a note.
  await saveSurveyAnswer(db, {
    caseId,
    subscriberId: camille.id,
    answer: {
      reason: "price",
      details: "Trop cher depuis la hausse, appelez-moi au 06 11 22 33 44",
      competitor: "Orange",
      wouldComeBack: 6,
      contactConsent: true,
      contactChannel: "phone",
      contactWindow: "morning",
    },
    meta,
  });
  const [item] = await db.select().from(winbackItems).where(eq(winbackItems.caseId, caseId));
  if (!item) throw new Error("the survey answer was not routed to win-back");
  const agent = await insertStaffUser(db, { passwordHash: "not-used", role: "agent" });
  await claimWinbackItem(db, { itemId: item.id, staffId: agent.id, meta });
  // The call happens in the window she chose (mornings, Paris time).
  const window = contactWindowState("morning", new Date(), PARIS);
  const callAt = window.open ? new Date() : window.nextOpening;
  const logged = await logContactAttempt(
    { db, jobs },
    {
      itemId: item.id,
      staffId: agent.id,
      channel: "phone",
      outcome: "no_answer",
      offerId: null,
      note: "Messagerie de Camille Martin : rappeler en fin de journée",
      meta,
      now: callAt,
    },
  );
  expect(logged.ok).toBe(true);

  // Earlier, a notice typed with a wrong reference: received, then rejected by operations.
  const notice = await recordUnmatchedNotice(
    { db, jobs },
    {
      operatorId: operator.id,
      firstName: "Camille",
      lastName: "Martin",
      reference: "06 11 22 33 44",
      email: "camille.martin@example.com",
      language: "fr",
      idempotencyKey: `notice-${randomUUID()}`,
      meta,
    },
  );
  const ops = await insertStaffUser(db, { passwordHash: "not-used", role: "operations" });
  const staff: StaffContext = {
    staff: {
      id: ops.id,
      email: ops.email,
      displayName: ops.displayName,
      role: "operations",
      totp: false,
    },
    tokenHash: "0".repeat(64),
    actor: { type: "staff", id: ops.id },
  };
  expect(
    await rejectNotice(
      { db, jobs },
      {
        noticeId: notice.id,
        reason: "no_contract_found",
        note: "Aucun contrat au nom de Camille Martin avec ce numéro",
        staff,
        meta,
      },
    ),
  ).toBe("rejected");

  // The end date comes: the case is effective, the contract terminated.
  const [row] = await db
    .select({ effectiveEndDate: cancellationCases.effectiveEndDate })
    .from(cancellationCases)
    .where(eq(cancellationCases.id, caseId));
  const endDate = row!.effectiveEndDate;
  expect(await markCasesEffective({ db, jobs, now: () => nightOf(endDate) })).toBe(1);
  return {
    operator,
    subscriberId: camille.id,
    caseId,
    endDate,
    noticeId: notice.id,
    itemId: item.id,
  };
}

const run = async (at: Date, options: { dryRun?: boolean } = {}) => {
  const runs = await applyRetention({ db, now: at, trigger: "cli", ...options });
  return runs;
};

/** Every row of every application table as text (audit events apart: they are checked whole). */
async function everyRowAsText(): Promise<string[]> {
  const tables = await db.execute<{ table_name: string }>(sql`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not in ('audit_event', '__drizzle_migrations')
    order by table_name`);
  const out: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.execute<{ row: string }>(
      sql`select to_jsonb(t)::text as row from ${sql.identifier(table_name)} t order by 1`,
    );
    for (const { row } of rows) out.push(`${table_name}: ${row}`);
  }
  return out;
}

const chainOf = (stream: string) =>
  db
    .select({ seq: auditEvents.seq, type: auditEvents.type, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.stream, stream))
    .orderBy(asc(auditEvents.seq));

const retentionEvents = () =>
  db
    .select({
      stream: auditEvents.stream,
      data: auditEvents.data,
      actorType: auditEvents.actorType,
    })
    .from(auditEvents)
    .where(eq(auditEvents.type, "retention.pseudonymised"))
    .orderBy(asc(auditEvents.id));

function only(runs: OperatorRetentionRun[], operatorId: string): OperatorRetentionRun {
  const found = runs.find((item) => item.operatorId === operatorId);
  if (!found) throw new Error("no run for the operator");
  return found;
}

describe("the retention job", () => {
  it("on a clock moved 6 years ahead pseudonymises Camille Martin's personal data, and every chain still verifies", async () => {
    const journey = await camilleJourney();
    const caseChainBefore = await chainOf(`case:${journey.caseId}`);
    const noticeChainBefore = await chainOf(`notice:${journey.noticeId}`);
    const [letterBefore] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, journey.caseId), eq(documents.kind, "termination_letter")));
    expect(letterBefore!.bytes.length).toBeGreaterThan(1000);
    expect((await everyRowAsText()).join("\n")).toContain("Camille");
    // A signed checkpoint over every chain head, taken before the retention job runs.
    const checkpoint = await takeCheckpoint(db, createAuditSigner({ sessionSecret: SECRET }));

    const sixYearsOn = nightOf(addMonths(journey.endDate, 72));
    const first = only(await run(sixYearsOn), journey.operator.id);
    expect(first).toMatchObject({ subscribers: 1, prospectOnly: 0, notices: 1, documents: 2 });

    // Her identity and contact details are pseudonyms; what proves the cancellation stays.
    const [camille] = await db
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, journey.subscriberId));
    expect(camille).toMatchObject({
      ...pseudonymousName(journey.subscriberId),
      phone: null,
      addressLine1: null,
      postalCode: null,
      city: null,
      region: "Île-de-France",
      country: "FR",
    });
    expect(isPseudonymousEmail(camille!.email)).toBe(true);
    expect(camille!.pseudonymisedAt).toEqual(sixYearsOn);
    const [theCase] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, journey.caseId));
    expect(theCase).toMatchObject({ status: "effective", effectiveEndDate: journey.endDate });
    expect(isPseudonymousEmail(theCase!.acknowledgmentEmail)).toBe(true);
    const summary = theCase!.feeBreakdown as {
      contracts: { lines: string[]; contractNumber: string }[];
    };
    expect(summary.contracts.map((contract) => contract.lines)).toEqual([[]]);
    expect(summary.contracts[0]!.contractNumber).toMatch(/^CT-/);
    const lineRows = await db
      .select({ phoneNumber: lines.phoneNumber })
      .from(lines)
      .innerJoin(contracts, eq(contracts.id, lines.contractId))
      .where(eq(contracts.subscriberId, journey.subscriberId));
    expect(lineRows.map((line) => isPseudonymousLineNumber(line.phoneNumber))).toEqual([true]);

    // Documents: bytes gone; name, size and SHA-256 kept (the audit trail proves them).
    const docs = await db.select().from(documents).where(eq(documents.caseId, journey.caseId));
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(doc.bytes.length).toBe(0);
      expect(doc.purgedAt).toEqual(sixYearsOn);
    }
    const letterAfter = docs.find((doc) => doc.kind === "termination_letter")!;
    expect(letterAfter).toMatchObject({
      sha256: letterBefore!.sha256,
      sizeBytes: letterBefore!.sizeBytes,
      fileName: letterBefore!.fileName,
    });

    const emails = await db.select().from(emailMessages);
    expect(emails.length).toBeGreaterThanOrEqual(1);
    for (const email of emails) expect(isPseudonymousEmail(email.toAddress)).toBe(true);
    const [survey] = await db.select().from(surveyResponses);
    expect(survey).toMatchObject({
      details: null,
      competitor: null,
      reason: "price",
      contactConsent: true,
    });
    const [attempt] = await db.select().from(contactAttempts);
    expect(attempt).toMatchObject({ note: null, outcome: "no_answer" });
    const [notice] = await db
      .select()
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, journey.noticeId));
    expect(notice!.submitted).toEqual({
      firstName: "Pseudonyme",
      lastName: pseudonymousName(journey.noticeId).lastName,
      reference: "",
    });
    expect(notice).toMatchObject({ rejectionReason: "no_contract_found", status: "rejected" });
    expect(isPseudonymousEmail(notice!.email)).toBe(true);

    // Nothing she typed or was typed about her is left in any table.
    const everything = (await everyRowAsText()).join("\n");
    for (const trace of CAMILLE_TRACES) expect(everything, trace).not.toContain(trace);

    // The audit trail: the case's and notice's chains are the same events with the same
    // hashes, one new event each on her stream and the notice's, and every chain verifies.
    expect(await chainOf(`case:${journey.caseId}`)).toEqual(caseChainBefore);
    expect((await chainOf(`notice:${journey.noticeId}`)).slice(0, -1)).toEqual(noticeChainBefore);
    const events = await retentionEvents();
    expect(events.map((event) => event.stream)).toEqual([
      streamForSubscriber(journey.subscriberId),
      `notice:${journey.noticeId}`,
    ]);
    expect(events[0]!.actorType).toBe("system");
    expect(events[0]!.data).toMatchObject({
      rule: "records",
      endedOn: journey.endDate,
      counts: {
        surveyAnswers: 1,
        contactNotes: 1,
        cases: 1,
        lines: 1,
        documents: 2,
        emails: emails.filter((email) => email.caseId === journey.caseId).length,
        notices: 0,
      },
      recordsYears: 5,
      prospectMonths: 36,
    });
    const chainText = JSON.stringify(await db.select({ data: auditEvents.data }).from(auditEvents));
    for (const trace of CAMILLE_TRACES) expect(chainText, trace).not.toContain(trace);
    const verified = await verifyAllStreams(db);
    expect(verified.broken).toEqual([]);
    expect(verified.streams).toBeGreaterThanOrEqual(4);
    // … and against the checkpoint signed before: no head gone, no checkpoint broken.
    const trail = await verifyAuditTrail(db);
    expect(trail).toMatchObject({
      ok: true,
      chains: { broken: [] },
      checkpoints: { problems: [] },
      deletions: { missing: [] },
    });
    expect(trail.checkpoints.latest?.root).toBe(checkpoint.checkpoint.root);

    // Twice changes nothing: no row differs, no new pseudonymisation event, only the run's log.
    const rowsBefore = await everyRowAsText();
    const second = only(
      await run(nightOf(addDays(addMonths(journey.endDate, 72), 1))),
      journey.operator.id,
    );
    expect(second).toMatchObject({ subscribers: 0, prospectOnly: 0, notices: 0, documents: 0 });
    expect(await everyRowAsText()).toEqual(rowsBefore);
    expect(await retentionEvents()).toHaveLength(2);
    expect(await chainOf(RETENTION_RUNS_STREAM)).toHaveLength(2);
    expect((await verifyAllStreams(db)).broken).toEqual([]);
  });

  it("at 4 years erases only the prospecting data: survey text and contact notes", async () => {
    const journey = await camilleJourney();
    const dryRun = only(
      await run(nightOf(addMonths(journey.endDate, 48)), { dryRun: true }),
      journey.operator.id,
    );
    expect(dryRun).toMatchObject({ subscribers: 0, prospectOnly: 1, notices: 0 });
    expect(await retentionEvents()).toEqual([]);
    const [untouched] = await db.select().from(surveyResponses);
    expect(untouched!.details).toContain("Trop cher");

    const fourYearsOn = nightOf(addMonths(journey.endDate, 48));
    expect(only(await run(fourYearsOn), journey.operator.id)).toMatchObject({
      subscribers: 0,
      prospectOnly: 1,
      notices: 0,
      documents: 0,
    });
    const [survey] = await db.select().from(surveyResponses);
    expect(survey).toMatchObject({ details: null, competitor: null, reason: "price" });
    expect(survey!.pseudonymisedAt).toEqual(fourYearsOn);
    const [attempt] = await db.select().from(contactAttempts);
    expect(attempt!.note).toBeNull();
    // Her records are kept for 5 years: name, email, documents, the rejected notice.
    const [camille] = await db
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, journey.subscriberId));
    expect(camille).toMatchObject({
      firstName: "Camille",
      lastName: "Martin",
      email: "camille.martin@example.com",
      pseudonymisedAt: null,
    });
    const docs = await db.select().from(documents).where(eq(documents.caseId, journey.caseId));
    for (const doc of docs) expect(doc.purgedAt).toBeNull();
    const [notice] = await db.select().from(unmatchedNotices);
    expect(notice!.pseudonymisedAt).toBeNull();
    const [event] = await retentionEvents();
    expect(event!.data).toMatchObject({
      rule: "prospect",
      categories: ["survey_text", "contact_notes"],
      counts: { surveyAnswers: 1, contactNotes: 1, documents: 0 },
    });
    expect((await verifyAllStreams(db)).broken).toEqual([]);

    // A year later still nothing more; at 5 years the records go.
    expect(
      only(await run(nightOf(addMonths(journey.endDate, 59))), journey.operator.id),
    ).toMatchObject({
      subscribers: 0,
      prospectOnly: 0,
    });
    expect(
      only(await run(nightOf(addMonths(journey.endDate, 60))), journey.operator.id),
    ).toMatchObject({
      subscribers: 1,
      prospectOnly: 0,
      documents: 2,
    });
  });

  it("never touches a running contract or an open case, and keeps someone owed a refund", async () => {
    const operator = await insertOperator(db);
    const longAgo = "2019-03-01";
    const old = (firstName: string) =>
      insertSubscriber(db, { operatorId: operator.id, firstName, lastName: "Durand" });

    // Lucas: one contract cancelled long ago, another still running.
    const lucas = await old("Lucas");
    const ended = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: lucas.id,
      startDate: "2015-01-01",
    });
    await insertContract(db, {
      operatorId: operator.id,
      subscriberId: lucas.id,
      startDate: "2016-01-01",
    });
    await insertCase(db, {
      operatorId: operator.id,
      subscriber: lucas,
      contracts: [ended],
      receivedAt: new Date(`${longAgo}T10:00:00Z`),
      effectiveEndDate: "2019-04-01",
      status: "closed",
    });
    // Inès: a notice received long ago that never became effective (the case is still open).
    const ines = await old("Inès");
    const pending = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: ines.id,
      startDate: "2015-01-01",
    });
    await insertCase(db, {
      operatorId: operator.id,
      subscriber: ines,
      contracts: [pending],
      receivedAt: new Date(`${longAgo}T10:00:00Z`),
      effectiveEndDate: "2019-04-01",
      status: "received",
    });
    // Hugo: relationship over long ago, but a refund is still due to him.
    const hugo = await old("Hugo");
    const hugoContract = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: hugo.id,
      startDate: "2015-01-01",
      creditBalanceCents: 2500,
    });
    const hugoCase = await insertCase(db, {
      operatorId: operator.id,
      subscriber: hugo,
      contracts: [hugoContract],
      receivedAt: new Date(`${longAgo}T10:00:00Z`),
      effectiveEndDate: "2019-04-01",
      status: "closed",
    });
    await db
      .update(refunds)
      .set({ status: "due", legalDueDate: "2019-05-01" })
      .where(eq(refunds.caseId, hugoCase.case.id));

    const result = only(await run(new Date("2040-01-01T03:30:00Z")), operator.id);
    expect(result).toMatchObject({ subscribers: 0, prospectOnly: 0, heldBack: 1 });
    const names = await db
      .select({ firstName: subscribers.firstName, pseudonymisedAt: subscribers.pseudonymisedAt })
      .from(subscribers)
      .orderBy(asc(subscribers.firstName));
    expect(names).toEqual([
      { firstName: "Hugo", pseudonymisedAt: null },
      { firstName: "Inès", pseudonymisedAt: null },
      { firstName: "Lucas", pseudonymisedAt: null },
    ]);
    expect(await retentionEvents()).toEqual([]);

    // Once the refund is paid, Hugo's turn comes.
    await db
      .update(refunds)
      .set({
        status: "issued",
        paymentReference: "VIR-2019-0042",
        issuedAt: new Date("2019-05-02"),
      })
      .where(eq(refunds.caseId, hugoCase.case.id));
    expect(only(await run(new Date("2040-01-02T03:30:00Z")), operator.id)).toMatchObject({
      subscribers: 1,
      heldBack: 0,
    });
    const [hugoAfter] = await db.select().from(subscribers).where(eq(subscribers.id, hugo.id));
    expect(hugoAfter!.firstName).toBe("Pseudonyme");
  });
});

// ---------------------------------------------------------------------------------------------
// Over HTTP: a subscriber of the demo operator whose relationship ended six and a half years
// ago, pseudonymised by a run at today's date (the demo's own subscribers are all recent).
// ---------------------------------------------------------------------------------------------

const app = setupPortal("retention");
const POLICY_PAGE = "/staff/conformite/conservation";

/** Text as read: no tags, entities decoded, every kind of space a plain one. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/\s+/g, " ");
}

describe("a pseudonymised case over HTTP", () => {
  const cookie = { admin: "", compliance: "", agent: "", operations: "" };
  let operator: Operator;
  let caseId = "";
  let reference = "";
  let token = "";
  let letterId = "";
  let letterSha = "";
  let noticeId = "";

  beforeAll(async () => {
    const portalDb = app.db();
    [operator] = (await portalDb
      .select()
      .from(operators)
      .orderBy(asc(operators.createdAt))
      .limit(1)) as [Operator];
    const today = dateInZone(new Date(), PARIS);
    const helene = await insertSubscriber(portalDb, {
      operatorId: operator.id,
      firstName: "Hélène",
      lastName: "Vasseur",
      email: "helene.vasseur@example.com",
      phone: "+33145678912",
      addressLine1: "14 rue Oberkampf",
      postalCode: "75011",
      city: "Paris",
      region: "Île-de-France",
    });
    const contract = await insertContract(portalDb, {
      operatorId: operator.id,
      subscriberId: helene.id,
      startDate: addMonths(today, -120),
    });
    const line = await insertLine(portalDb, {
      operatorId: operator.id,
      contractId: contract.id,
      phoneNumber: "+33145678912",
    });
    const made = await insertCase(portalDb, {
      operatorId: operator.id,
      subscriber: helene,
      contracts: [contract],
      lineIds: [line.id],
      receivedAt: new Date(`${addMonths(today, -79)}T10:00:00Z`),
      effectiveEndDate: addMonths(today, -78),
      status: "closed",
      linkSecret: PORTAL_TEST_SECRET,
    });
    caseId = made.case.id;
    reference = made.case.reference;
    token = made.token;
    const letter = await ensureTerminationLetter(portalDb, caseId, "http://localhost");
    letterId = letter.id;
    letterSha = letter.sha256;
    // Bruno left two years ago: nothing is due for him under the default policy.
    const bruno = await insertSubscriber(portalDb, { operatorId: operator.id, firstName: "Bruno" });
    const brunoContract = await insertContract(portalDb, {
      operatorId: operator.id,
      subscriberId: bruno.id,
      startDate: addMonths(today, -60),
    });
    await insertCase(portalDb, {
      operatorId: operator.id,
      subscriber: bruno,
      contracts: [brunoContract],
      receivedAt: new Date(`${addMonths(today, -25)}T10:00:00Z`),
      effectiveEndDate: addMonths(today, -24),
      status: "closed",
    });

    // Rows made today by the factories: their creation and the contracts' last change are
    // moved back to when they happened, as a real history would have them.
    for (const [who, endedOn] of [
      [helene.id, addMonths(today, -78)],
      [bruno.id, addMonths(today, -24)],
    ] as const) {
      const at = new Date(`${endedOn}T12:00:00Z`);
      await portalDb
        .update(subscribers)
        .set({ createdAt: new Date(`${addMonths(endedOn, -60)}T12:00:00Z`) })
        .where(eq(subscribers.id, who));
      await portalDb
        .update(contracts)
        .set({ updatedAt: at })
        .where(eq(contracts.subscriberId, who));
    }

    // A notice from someone the operator could not find, rejected six years ago.
    const notice = await recordUnmatchedNotice(
      { db: portalDb, jobs: app.portal().jobs },
      {
        operatorId: operator.id,
        firstName: "Gaëlle",
        lastName: "Marchetti",
        reference: "C-777777",
        email: "gaelle.marchetti@example.com",
        language: "fr",
        idempotencyKey: `notice-${randomUUID()}`,
        meta,
      },
    );
    const [ops] = await portalDb
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.email, "ops@example.com"));
    const rejected = await rejectNotice(
      { db: portalDb, jobs: app.portal().jobs },
      {
        noticeId: notice.id,
        reason: "no_contract_found",
        note: "Gaëlle Marchetti inconnue",
        staff: {
          staff: {
            id: ops!.id,
            email: ops!.email,
            displayName: ops!.displayName,
            role: "operations",
            totp: false,
          },
          tokenHash: "0".repeat(64),
          actor: { type: "staff", id: ops!.id },
        },
        meta,
      },
    );
    expect(rejected).toBe("rejected");
    // … six years ago.
    await portalDb
      .update(unmatchedNotices)
      .set({ resolvedAt: new Date(`${addMonths(today, -72)}T12:00:00Z`) })
      .where(eq(unmatchedNotices.id, notice.id));
    noticeId = notice.id;

    const runs = await applyRetention({ db: portalDb, trigger: "job" });
    const done = only(runs, operator.id);
    expect(done.actions.map((action) => action.id)).toContain(helene.id);
    expect(done.actions.map((action) => action.id)).not.toContain(bruno.id);
    for (const role of ["admin", "compliance", "agent", "operations"] as const)
      cookie[role] = await signIn(app.url, `${role === "operations" ? "ops" : role}@example.com`);
  });

  it("reads sensibly on the staff case page, and the old name finds nothing", async () => {
    const page = await getPage(app.url(`/staff/dossiers/${caseId}`), cookie.operations);
    expect(page.status).toBe(200);
    const text = plain(await page.text());
    expect(text).toContain("Données personnelles pseudonymisées");
    expect(text).toContain("Pseudonyme");
    expect(text).toContain("effacé (conservation)");
    expect(text).toContain("Contenu effacé le");
    expect(text).toContain(letterSha);
    for (const trace of ["Hélène", "Vasseur", "helene.vasseur", "Oberkampf", "45 67 89 12"])
      expect(text, trace).not.toContain(trace);
    expect(text).not.toContain("invalid.example");
    expect(text).not.toContain("+999");

    const byName = plain(
      await (await getPage(app.url("/staff/dossiers?q=Vasseur"), cookie.operations)).text(),
    );
    expect(byName).not.toContain(reference);
    const byEmail = plain(
      await (
        await getPage(app.url("/staff/dossiers?q=helene.vasseur%40example.com"), cookie.operations)
      ).text(),
    );
    expect(byEmail).not.toContain(reference);
    const byReference = plain(
      await (await getPage(app.url(`/staff/dossiers?q=${reference}`), cookie.operations)).text(),
    );
    expect(byReference).toContain(reference);
    expect(byReference).toContain("Pseudonyme");
  });

  it("answers a clear 410 page for a purged document, to staff and to the subscriber", async () => {
    const staffDownload = await getPage(
      app.url(`/staff/dossiers/${caseId}/documents/${letterId}`),
      cookie.compliance,
    );
    expect(staffDownload.status).toBe(410);
    expect(staffDownload.headers.get("content-type")).toContain("text/html");
    const staffText = plain(await staffDownload.text());
    expect(staffText).toContain("Ce document n’est plus disponible");
    expect(staffText).toContain(letterSha);
    expect(staffText).toContain("Retour au dossier");

    const casePage = await getPage(app.url(`/dossier/${token}`));
    expect(casePage.status).toBe(200);
    const caseText = plain(await casePage.text());
    expect(caseText).toContain("Données personnelles pseudonymisées");
    expect(caseText).toContain(reference);
    expect(caseText).toContain("La lettre de résiliation n’est plus disponible");

    const letter = await getPage(app.url(`/dossier/${token}/lettre.pdf`));
    expect(letter.status).toBe(410);
    const letterText = plain(await letter.text());
    expect(letterText).toContain("Ce document n’est plus disponible");
    expect(letterText).toContain("Retour à votre dossier");
    const english = await fetch(app.url(`/dossier/${token}/lettre.pdf`), {
      headers: { "Accept-Language": "en" },
    });
    expect(english.status).toBe(410);
    expect(plain(await english.text())).toContain("This document is no longer available");
  });

  it("shows a pseudonymised rejected notice without what was typed", async () => {
    const page = await getPage(app.url(`/staff/avis/${noticeId}`), cookie.operations);
    expect(page.status).toBe(200);
    const text = plain(await page.text());
    expect(text).toContain("ce qui avait été saisi (nom, référence, e-mail) a été effacé");
    expect(text).toContain("Pseudonyme");
    for (const trace of ["Gaëlle", "Marchetti", "gaelle.marchetti", "C-777777", "invalid.example"])
      expect(text, trace).not.toContain(trace);
  });

  it("leaves the analytics dashboard working", async () => {
    const page = await getPage(app.url("/staff/analyse"), cookie.compliance);
    expect(page.status).toBe(200);
  });

  it("shows the policy, the runs and what falls due to compliance, read-only", async () => {
    const page = await getPage(app.url(POLICY_PAGE), cookie.compliance);
    expect(page.status).toBe(200);
    const html = await page.text();
    const text = plain(html);
    expect(text).toContain("Conservation des données");
    expect(text).toContain("Après 36 mois");
    expect(text).toContain("Après 5 ans");
    expect(text).toContain("Seul un administrateur peut modifier les durées");
    expect(text).toContain("traitement de nuit");
    expect(html).not.toContain('name="recordsYears"');
    const refused = await postForm(
      app.url(POLICY_PAGE),
      { intent: "policy", recordsYears: "3", prospectMonths: "12" },
      { cookie: cookie.compliance },
    );
    expect(refused.status).toBe(403);
    for (const role of ["agent", "operations"] as const)
      expect((await getPage(app.url(POLICY_PAGE), cookie[role])).status, role).toBe(403);
  });

  it("lets admin change the periods: checked, confirmed when people fall due at once, audited", async () => {
    const page = await getPage(app.url(POLICY_PAGE), cookie.admin);
    expect(await page.text()).toContain('name="recordsYears"');
    const post = (fields: Record<string, string>) =>
      postForm(app.url(POLICY_PAGE), { intent: "policy", ...fields }, { cookie: cookie.admin });

    const zero = await post({ recordsYears: "0", prospectMonths: "36" });
    expect(zero.status).toBe(400);
    expect(plain(await zero.text())).toContain("Indiquez un nombre entier d’années entre 1 et 30.");
    const beyond = await post({ recordsYears: "2", prospectMonths: "36" });
    expect(beyond.status).toBe(400);
    expect(plain(await beyond.text())).toContain(
      "Les données de prospection ne peuvent pas être gardées plus longtemps que les dossiers.",
    );

    // One year of records makes Bruno (who left two years ago) due at once: confirm first.
    const asked = await post({ recordsYears: "1", prospectMonths: "12" });
    expect(asked.status).toBe(200);
    const askedText = plain(await asked.text());
    expect(askedText).toContain("Confirmez : ce changement rend des données échues immédiatement");
    const [unchanged] = await app
      .db()
      .select()
      .from(operators)
      .where(eq(operators.id, operator.id));
    expect(unchanged).toMatchObject({ auditRetentionYears: 5, prospectRetentionMonths: 36 });

    const confirmed = await post({ recordsYears: "1", prospectMonths: "12", confirmed: "yes" });
    expect(confirmed.status).toBe(200);
    expect(plain(await confirmed.text())).toContain("Politique de conservation enregistrée");
    const [saved] = await app.db().select().from(operators).where(eq(operators.id, operator.id));
    expect(saved).toMatchObject({ auditRetentionYears: 1, prospectRetentionMonths: 12 });
    const changes = await app
      .db()
      .select({ data: auditEvents.data, actorType: auditEvents.actorType })
      .from(auditEvents)
      .where(eq(auditEvents.stream, RETENTION_SETTINGS_STREAM))
      .orderBy(asc(auditEvents.seq));
    expect(changes).toEqual([
      {
        actorType: "staff",
        data: {
          recordsYears: 1,
          prospectMonths: 12,
          previousRecordsYears: 5,
          previousProspectMonths: 36,
        },
      },
    ]);

    // Back to the defaults: a longer period makes no one due, so no confirmation.
    const restored = await post({ recordsYears: "5", prospectMonths: "36" });
    expect(plain(await restored.text())).toContain("Politique de conservation enregistrée");
    const again = await post({ recordsYears: "5", prospectMonths: "36" });
    expect(plain(await again.text())).toContain("Rien n’a changé");
    const history = plain(await (await getPage(app.url(POLICY_PAGE), cookie.compliance)).text());
    expect(history).toContain("dossiers 5 → 1 ans, prospection 36 → 12 mois");
    expect((await verifyAllStreams(app.db())).broken).toEqual([]);
  });
});
