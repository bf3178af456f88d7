import { and, asc, eq, inArray, isNull, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "../../../db/client";
import {
  cancellationCases,
  contactAttempts,
  contracts,
  documents,
  emailMessages,
  lines,
  operators,
  subscribers,
  surveyResponses,
  unmatchedNotices,
  winbackItems,
  type Operator,
} from "../../../db/schema";
import { NO_REQUEST, SYSTEM_ACTOR, type AuditEventData } from "../../audit/events";
import { recordEvent, streamForNotice } from "../../audit/record-event.server";
import type { Logger } from "../../config/logger.server";
import { addDays, dateInZone, type IsoDate } from "../../domain/dates";
import {
  pseudonymousEmail,
  pseudonymousLineNumber,
  pseudonymousName,
} from "../../domain/pseudonyms";
import {
  lastEndDateDue,
  noticeDue,
  planRetention,
  PROSPECT_CATEGORIES,
  RECORDS_CATEGORIES,
  shortestPeriodMonths,
  type RetentionCategory,
  type RetentionPolicy,
  type RetentionRule,
} from "../../domain/retention";
import { parseRejection } from "../../domain/notice-rejection";
import { isUniqueViolation } from "../notify-cancellation.server";
import { candidateSubscribers, factsOfSubscriber } from "./subscriber-facts.server";

// The data-retention job (issue #8 part 6; docs/decisions/012-data-retention-and-the-audit-trail.md).
// Every night at 03:30 (Europe/Paris), for each operator: the subscribers whose relationship
// ended longer ago than the policy allows (found by one set-based query) get their personal
// data replaced by stable pseudonyms, one transaction per subscriber (the row locked with SKIP
// LOCKED, so two runs share the work instead of doing it twice), with one
// `retention.pseudonymised` audit event each. Audit events are never touched: they hold
// references, so every chain still verifies. Idempotent: what was pseudonymised is marked, and
// a second run finds nothing left to do.

/** The audit stream of the runs (one `retention.applied` event per operator and run). */
export const RETENTION_RUNS_STREAM = "retention:runs";

export function streamForSubscriber(subscriberId: string): string {
  return `subscriber:${subscriberId}`;
}

type Counts = AuditEventData<"retention.pseudonymised">["counts"];

const ZERO_COUNTS: Counts = {
  surveyAnswers: 0,
  contactNotes: 0,
  cases: 0,
  lines: 0,
  documents: 0,
  emails: 0,
  notices: 0,
};

export function policyOf(
  operator: Pick<Operator, "auditRetentionYears" | "prospectRetentionMonths">,
) {
  return {
    recordsYears: operator.auditRetentionYears,
    prospectMonths: operator.prospectRetentionMonths,
  } satisfies RetentionPolicy;
}

/** One subscriber (or rejected notice) the run pseudonymised, or would in a dry run. */
export interface RetentionAction {
  kind: "subscriber" | "notice";
  id: string;
  rule: RetentionRule;
  endedOn: IsoDate;
  counts: Counts | null;
}

export interface OperatorRetentionRun {
  operatorId: string;
  operatorSlug: string;
  asOf: IsoDate;
  policy: RetentionPolicy;
  dryRun: boolean;
  /** Subscribers whose records were pseudonymised (their prospecting data went too). */
  subscribers: number;
  /** Subscribers whose prospecting data only were erased (records not due yet). */
  prospectOnly: number;
  notices: number;
  documents: number;
  /** Due, but kept because the operator still owes them a refund. */
  heldBack: number;
  actions: RetentionAction[];
}

export interface ApplyRetentionOptions {
  db: Db;
  logger?: Logger;
  /** The clock (the CLI's `--now`); the operator's zone turns it into "today". */
  now?: Date;
  dryRun?: boolean;
  trigger: "job" | "cli";
}

/** Runs the retention rules for every operator; returns what was done (or would be). */
export async function applyRetention(
  options: ApplyRetentionOptions,
): Promise<OperatorRetentionRun[]> {
  const all = await options.db.select().from(operators).orderBy(asc(operators.createdAt));
  const runs: OperatorRetentionRun[] = [];
  for (const operator of all) runs.push(await applyForOperator(options, operator));
  return runs;
}

async function applyForOperator(
  options: ApplyRetentionOptions,
  operator: Operator,
): Promise<OperatorRetentionRun> {
  const { db } = options;
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const policy = policyOf(operator);
  const timeZone = operator.timeZone;
  const today = dateInZone(now, timeZone);
  const run: OperatorRetentionRun = {
    operatorId: operator.id,
    operatorSlug: operator.slug,
    asOf: today,
    policy,
    dryRun,
    subscribers: 0,
    prospectOnly: 0,
    notices: 0,
    documents: 0,
    heldBack: 0,
    actions: [],
  };
  const context = { operator, policy, timeZone, today, now };

  const endedBy = lastEndDateDue(today, shortestPeriodMonths(policy));
  const candidates = await candidateSubscribers(db, { operatorId: operator.id, timeZone, endedBy });
  for (const candidate of candidates) {
    const plan = planRetention({ ...candidate, policy, timeZone, today });
    if (plan.kind === "keep") {
      if (plan.reason === "refund_owed") run.heldBack += 1;
      continue;
    }
    const done = dryRun
      ? { rule: plan.rule, endedOn: plan.endedOn, counts: null }
      : await pseudonymiseSubscriber(db, { ...context, subscriberId: candidate.subscriberId });
    if (done === null) continue;
    if (done.rule === "records") run.subscribers += 1;
    else run.prospectOnly += 1;
    run.documents += done.counts?.documents ?? 0;
    run.actions.push({ kind: "subscriber", id: candidate.subscriberId, ...done });
  }

  for (const notice of await dueRejectedNotices(db, context)) {
    const done = dryRun
      ? { endedOn: notice.endedOn, counts: null }
      : await pseudonymiseRejectedNotice(db, { ...context, noticeId: notice.id });
    if (done === null) continue;
    run.notices += 1;
    run.documents += done.counts?.documents ?? 0;
    run.actions.push({ kind: "notice", id: notice.id, rule: "records", ...done });
  }

  if (!dryRun) {
    await recordEvent(db, {
      stream: RETENTION_RUNS_STREAM,
      type: "retention.applied",
      actor: SYSTEM_ACTOR,
      meta: NO_REQUEST,
      occurredAt: now,
      data: {
        operatorId: operator.id,
        asOf: today,
        trigger: options.trigger,
        subscribers: run.subscribers,
        prospectOnly: run.prospectOnly,
        notices: run.notices,
        documents: run.documents,
        heldBack: run.heldBack,
        recordsYears: policy.recordsYears,
        prospectMonths: policy.prospectMonths,
      },
    });
    options.logger?.info(
      {
        operatorId: operator.id,
        asOf: today,
        subscribers: run.subscribers,
        prospectOnly: run.prospectOnly,
        notices: run.notices,
        documents: run.documents,
        heldBack: run.heldBack,
      },
      "retention applied",
    );
  }
  return run;
}

interface RunContext {
  operator: Operator;
  policy: RetentionPolicy;
  timeZone: string;
  today: IsoDate;
  now: Date;
}

/**
 * One subscriber, one transaction: lock the row (skipped if another run holds it), re-read the
 * facts under the lock, and if the plan still says so, erase and pseudonymise. Returns null when
 * there was nothing (left) to do.
 */
export async function pseudonymiseSubscriber(
  db: Db,
  input: RunContext & { subscriberId: string },
): Promise<{ rule: RetentionRule; endedOn: IsoDate; counts: Counts } | null> {
  return db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(
        and(eq(subscribers.id, input.subscriberId), eq(subscribers.operatorId, input.operator.id)),
      )
      .for("update", { skipLocked: true });
    if (locked.length === 0) return null;
    const current = await factsOfSubscriber(tx, {
      operatorId: input.operator.id,
      timeZone: input.timeZone,
      subscriberId: input.subscriberId,
    });
    if (current === null) return null;
    const plan = planRetention({
      ...current,
      policy: input.policy,
      timeZone: input.timeZone,
      today: input.today,
    });
    if (plan.kind === "keep") return null;

    const counts: Counts = { ...ZERO_COUNTS };
    const cases = await tx
      .select({ id: cancellationCases.id })
      .from(cancellationCases)
      .where(eq(cancellationCases.subscriberId, input.subscriberId));
    const caseIds = cases.map((row) => row.id);

    // The prospect rule: what only served to win the person back.
    if (caseIds.length > 0) {
      const cleared = await tx
        .update(surveyResponses)
        .set({ details: null, competitor: null, pseudonymisedAt: input.now })
        .where(
          and(inArray(surveyResponses.caseId, caseIds), isNull(surveyResponses.pseudonymisedAt)),
        )
        .returning({ id: surveyResponses.id });
      counts.surveyAnswers = cleared.length;
    }
    const notes = await tx
      .update(contactAttempts)
      .set({ note: null })
      .where(
        and(
          isNotNull(contactAttempts.note),
          inArray(
            contactAttempts.winbackItemId,
            tx
              .select({ id: winbackItems.id })
              .from(winbackItems)
              .where(eq(winbackItems.subscriberId, input.subscriberId)),
          ),
        ),
      )
      .returning({ id: contactAttempts.id });
    counts.contactNotes = notes.length;
    const categories: RetentionCategory[] = [...PROSPECT_CATEGORIES];

    if (plan.rule === "records") {
      await pseudonymiseRecords(tx, { ...input, caseIds, counts });
      categories.push(...RECORDS_CATEGORIES);
    }

    await recordEvent(tx, {
      stream: streamForSubscriber(input.subscriberId),
      type: "retention.pseudonymised",
      actor: SYSTEM_ACTOR,
      meta: NO_REQUEST,
      occurredAt: input.now,
      data: {
        rule: plan.rule,
        endedOn: plan.endedOn,
        categories,
        counts,
        recordsYears: input.policy.recordsYears,
        prospectMonths: input.policy.prospectMonths,
      },
    });
    return { rule: plan.rule, endedOn: plan.endedOn, counts };
  });
}

/** The records rule: identity, contact details, line numbers, documents' bytes, notices. */
async function pseudonymiseRecords(
  tx: Tx,
  input: RunContext & { subscriberId: string; caseIds: string[]; counts: Counts },
): Promise<void> {
  const { subscriberId, caseIds, counts, now } = input;
  const email = pseudonymousEmail(subscriberId);
  await tx
    .update(subscribers)
    .set({
      ...pseudonymousName(subscriberId),
      email,
      phone: null,
      addressLine1: null,
      postalCode: null,
      city: null,
      pseudonymisedAt: now,
      updatedAt: now,
    })
    .where(eq(subscribers.id, subscriberId));

  if (caseIds.length > 0) {
    // The acknowledgment address, and the line numbers inside the summary the person was shown
    // (the amounts, dates and contract numbers of that summary stay: they are the record).
    const updated = await tx
      .update(cancellationCases)
      .set({
        acknowledgmentEmail: email,
        feeBreakdown: sql`case when jsonb_typeof(${cancellationCases.feeBreakdown} -> 'contracts') = 'array'
          then jsonb_set(${cancellationCases.feeBreakdown}, '{contracts}', coalesce((
            select jsonb_agg(case when jsonb_typeof(item) = 'object'
              then item || '{"lines": []}'::jsonb else item end order by position)
            from jsonb_array_elements(${cancellationCases.feeBreakdown} -> 'contracts')
              with ordinality as elements(item, position)), '[]'::jsonb))
          else ${cancellationCases.feeBreakdown} end`,
        updatedAt: now,
      })
      .where(inArray(cancellationCases.id, caseIds))
      .returning({ id: cancellationCases.id });
    counts.cases = updated.length;
  }

  counts.lines = await pseudonymiseLines(tx, input);

  const notices =
    caseIds.length === 0
      ? []
      : await tx
          .update(unmatchedNotices)
          .set({
            submitted: { ...namesOf(subscriberId), reference: "" },
            email,
            pseudonymisedAt: now,
          })
          .where(
            and(
              inArray(unmatchedNotices.matchedCaseId, caseIds),
              isNull(unmatchedNotices.pseudonymisedAt),
            ),
          )
          .returning({ id: unmatchedNotices.id });
  counts.notices = notices.length;
  const noticeIds = notices.map((row) => row.id);

  const owned = or(
    caseIds.length > 0 ? inArray(documents.caseId, caseIds) : sql`false`,
    noticeIds.length > 0 ? inArray(documents.noticeId, noticeIds) : sql`false`,
  );
  counts.documents = await purgeDocuments(tx, owned!, now);
  const emails = await tx
    .update(emailMessages)
    .set({ toAddress: email, lastError: null })
    .where(
      or(
        caseIds.length > 0 ? inArray(emailMessages.caseId, caseIds) : sql`false`,
        noticeIds.length > 0 ? inArray(emailMessages.noticeId, noticeIds) : sql`false`,
      ),
    )
    .returning({ id: emailMessages.id });
  counts.emails = emails.length;
}

function namesOf(id: string) {
  const { firstName, lastName } = pseudonymousName(id);
  return { firstName, lastName };
}

/**
 * Documents keep their row, name, size and SHA-256 (the audit trail proves what they were);
 * their bytes go. A download then answers 410 Gone.
 */
async function purgeDocuments(tx: Tx, owned: ReturnType<typeof or>, now: Date): Promise<number> {
  const purged = await tx
    .update(documents)
    .set({ bytes: Buffer.alloc(0), purgedAt: now })
    .where(and(owned, isNull(documents.purgedAt)))
    .returning({ id: documents.id });
  return purged.length;
}

/** Each line of the subscriber's contracts gets a +999 number nobody can hold. */
async function pseudonymiseLines(
  tx: Tx,
  input: { subscriberId: string; operator: Operator },
): Promise<number> {
  const found = await tx
    .select({ id: lines.id, phoneNumber: lines.phoneNumber })
    .from(lines)
    .innerJoin(contracts, eq(contracts.id, lines.contractId))
    .where(eq(contracts.subscriberId, input.subscriberId));
  let count = 0;
  for (const line of found) {
    for (let attempt = 0; ; attempt += 1) {
      const replacement = pseudonymousLineNumber(line.id, attempt);
      if (replacement === line.phoneNumber) break;
      try {
        // A savepoint: a number already taken (1 chance in 10^11 per line) costs one more try.
        await tx.transaction((savepoint) =>
          savepoint.update(lines).set({ phoneNumber: replacement }).where(eq(lines.id, line.id)),
        );
        count += 1;
        break;
      } catch (error) {
        if (!isUniqueViolation(error, ["line_phone_number_key"]) || attempt >= 5) throw error;
      }
    }
  }
  return count;
}

/** Rejected notices (nobody's subscriber): records, kept the records period after rejection. */
async function dueRejectedNotices(
  db: Queryable,
  context: RunContext,
): Promise<{ id: string; endedOn: IsoDate }[]> {
  const cutoff = lastEndDateDue(context.today, context.policy.recordsYears * 12);
  // Resolved on or before the cutoff in the operator's zone (a day of slack, decided below).
  const rows = await db
    .select({ id: unmatchedNotices.id, resolvedAt: unmatchedNotices.resolvedAt })
    .from(unmatchedNotices)
    .where(
      and(
        eq(unmatchedNotices.operatorId, context.operator.id),
        eq(unmatchedNotices.status, "rejected"),
        isNull(unmatchedNotices.pseudonymisedAt),
        lte(unmatchedNotices.resolvedAt, new Date(`${addDays(cutoff, 2)}T00:00:00Z`)),
      ),
    )
    .orderBy(asc(unmatchedNotices.id));
  return rows.flatMap((row) =>
    row.resolvedAt !== null &&
    noticeDue({
      resolvedAt: row.resolvedAt,
      policy: context.policy,
      timeZone: context.timeZone,
      today: context.today,
    })
      ? [{ id: row.id, endedOn: dateInZone(row.resolvedAt, context.timeZone) }]
      : [],
  );
}

async function pseudonymiseRejectedNotice(
  db: Db,
  input: RunContext & { noticeId: string },
): Promise<{ endedOn: IsoDate; counts: Counts } | null> {
  return db.transaction(async (tx) => {
    const [notice] = await tx
      .select()
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, input.noticeId))
      .for("update", { skipLocked: true });
    if (!notice || notice.status !== "rejected" || notice.pseudonymisedAt !== null) return null;
    if (notice.resolvedAt === null) return null;
    const endedOn = dateInZone(notice.resolvedAt, input.timeZone);
    const email = pseudonymousEmail(notice.id);
    const counts: Counts = { ...ZERO_COUNTS, notices: 1 };
    await tx
      .update(unmatchedNotices)
      .set({
        submitted: { ...namesOf(notice.id), reference: "" },
        email,
        // The staff member's note may name the person; the reason code stays.
        rejectionReason: parseRejection(notice.rejectionReason).code,
        pseudonymisedAt: input.now,
      })
      .where(eq(unmatchedNotices.id, notice.id));
    counts.documents = await purgeDocuments(tx, eq(documents.noticeId, notice.id), input.now);
    const emails = await tx
      .update(emailMessages)
      .set({ toAddress: email, lastError: null })
      .where(eq(emailMessages.noticeId, notice.id))
      .returning({ id: emailMessages.id });
    counts.emails = emails.length;
    await recordEvent(tx, {
      stream: streamForNotice(notice.id),
      type: "retention.pseudonymised",
      actor: SYSTEM_ACTOR,
      meta: NO_REQUEST,
      occurredAt: input.now,
      data: {
        rule: "records",
        endedOn,
        categories: ["notices", "document_contents", "email_addresses"],
        counts,
        recordsYears: input.policy.recordsYears,
        prospectMonths: input.policy.prospectMonths,
      },
    });
    return { endedOn, counts };
  });
}
