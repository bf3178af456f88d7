import { asc, and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  cancellationCases,
  caseContracts,
  contracts,
  emailMessages,
  operators,
  subscribers,
  unmatchedNotices,
  type EmailMessage,
  type Operator,
} from "../../db/schema";
import { recordEvent, streamForNotice } from "../audit/record-event.server";
import { deriveCaseToken } from "../auth/tokens.server";
import type { Env } from "../config/env.server";
import type { Logger } from "../config/logger.server";
import type { CancellationSummary } from "../domain/cancellation-summary";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  isLang,
  translate,
  type Lang,
  type MessageKey,
} from "../i18n/i18n";
import { loadEmailTemplates, type EmailTemplateKind } from "../mail/email-templates";
import type { Mailer, OutgoingEmail } from "../mail/mailer.server";
import { renderEmail } from "../mail/render-email";
import { ensureTerminationLetter } from "./ensure-termination-letter.server";
import { winbackEmailValues } from "./winback/email-values.server";
import { parseRejection } from "../domain/notice-rejection";
import {
  MissingEmailSubject,
  returnEmailValues,
  type ReturnEmailKind,
} from "./returns/return-email-values.server";

export type EmailTarget = { caseId: string } | { noticeId: string };

interface Composed {
  to: string;
  language: Lang;
  email: Omit<OutgoingEmail, "messageId">;
}

export class PermanentEmailFailure extends Error {
  override name = "PermanentEmailFailure";
}

function operatorValues(operator: Operator): Record<string, string> {
  return {
    operatorName: operator.displayName,
    operatorLegalName: operator.legalName,
    operatorAddress: [
      operator.addressLine1,
      operator.addressLine2,
      `${operator.postalCode} ${operator.city}`,
    ]
      .filter(Boolean)
      .join(", "),
    registrationNumber: operator.registrationNumber,
    supportEmail: operator.supportEmail,
  };
}

function consequenceValues(
  summary: CancellationSummary,
  lang: Lang,
  values: { noEquipment: string; noRefund: string; equipmentBy: string; noFee: string },
) {
  const equipment =
    summary.returnItems.length === 0
      ? values.noEquipment
      : `${summary.returnItems.map((item) => `${translate(lang, `equipment.${item.kind}` as MessageKey)} (${item.model})`).join(", ")}, ${values.equipmentBy.replace("{date}", formatDate(summary.returnDeadline ?? summary.endDate, lang))}.`;
  const refunds =
    summary.refunds.length === 0
      ? values.noRefund
      : `${summary.refunds
          .map(
            (refund) =>
              `${translate(lang, `refund.${refund.kind}`)} ${formatMoney(refund.amountCents, refund.currency, lang)}, ${translate(
                lang,
                refund.trigger === "equipment_returned"
                  ? "refund.afterEquipment"
                  : "refund.afterLastInvoice",
                { days: refund.legalDays },
              )}`,
          )
          .join(" ; ")}.`;
  return {
    endDate: formatDate(summary.endDate, lang),
    fees:
      summary.feeTotalCents === 0
        ? values.noFee
        : formatMoney(summary.feeTotalCents, summary.currency, lang),
    equipment,
    refunds,
  };
}

/** A case whose stored summary cannot be read will not get better by retrying. */
function consequenceValuesOf(
  summary: unknown,
  lang: Lang,
  values: Parameters<typeof consequenceValues>[2],
) {
  try {
    return consequenceValues(summary as CancellationSummary, lang, values);
  } catch (error) {
    throw new PermanentEmailFailure("the case's summary cannot be read", { cause: error });
  }
}

async function composeCaseEmail(
  db: Db,
  env: Env,
  kind: Exclude<EmailTemplateKind, NoticeEmailKind>,
  caseId: string,
  key: string,
): Promise<Composed> {
  const [row] = await db.select().from(cancellationCases).where(eq(cancellationCases.id, caseId));
  if (!row) throw new PermanentEmailFailure(`case ${caseId} not found`);
  const [[subscriber], [operator], contractRows] = await Promise.all([
    db.select().from(subscribers).where(eq(subscribers.id, row.subscriberId)),
    db.select().from(operators).where(eq(operators.id, row.operatorId)),
    db
      .select({ contractNumber: contracts.contractNumber, offerName: contracts.offerName })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(eq(caseContracts.caseId, row.id))
      .orderBy(asc(contracts.contractNumber)),
  ]);
  if (!subscriber || !operator)
    throw new PermanentEmailFailure(`case ${caseId} has no subscriber or operator`);
  const lang: Lang = isLang(row.language) ? row.language : "fr";
  const templates = loadEmailTemplates(row.jurisdiction, lang);
  const { token } = deriveCaseToken(env.SESSION_SECRET, row.idempotencyKey);
  const values: Record<string, string> = {
    ...operatorValues(operator),
    ...consequenceValuesOf(row.feeBreakdown, lang, templates.values),
    firstName: subscriber.firstName,
    lastName: subscriber.lastName,
    reference: row.reference,
    receivedAt: formatDateTime(row.receivedAt, lang, operator.timeZone),
    withdrawnAt: row.withdrawnAt ? formatDateTime(row.withdrawnAt, lang, operator.timeZone) : "",
    contracts: contractRows
      .map((contract) => `${contract.offerName} (${contract.contractNumber})`)
      .join(", "),
    caseUrl: new URL(`/dossier/${token}`, env.APP_URL).toString(),
  };
  if (RETURN_KINDS.has(kind)) {
    try {
      Object.assign(
        values,
        await returnEmailValues(db, kind as ReturnEmailKind, {
          caseId: row.id,
          key,
          lang,
          timeZone: operator.timeZone,
          templates,
          operatorName: operator.displayName,
        }),
      );
    } catch (error) {
      if (error instanceof MissingEmailSubject)
        throw new PermanentEmailFailure(error.message, { cause: error });
      throw error;
    }
  }
  const headers: Record<string, string> = {};
  if (kind === "winback") {
    const winback = await winbackEmailValues(db, env, { attemptId: key, lang, templates });
    if (!winback) throw new PermanentEmailFailure(`contact attempt ${key} not found`);
    Object.assign(values, winback.values);
    // One-click unsubscribe in the mail client itself (RFC 8058), besides the link in the text.
    headers["List-Unsubscribe"] = `<${winback.values.stopUrl}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  // A withdrawal from the contract gets its own wording (ends on receipt, no fee, refunds within
  // 14 days); it is still stored and audited as the kind `acknowledgment`.
  const message =
    kind === "acknowledgment" && row.terminationType === "withdrawal"
      ? "acknowledgment_withdrawal"
      : kind;
  const rendered = renderEmail(templates, message, values, lang);
  const attachments: OutgoingEmail["attachments"] = [];
  if (kind === "acknowledgment") {
    const letter = await ensureTerminationLetter(db, row.id, env.APP_URL);
    attachments.push({
      filename: letter.fileName,
      content: letter.bytes,
      contentType: letter.contentType,
    });
  }
  return {
    to: row.acknowledgmentEmail,
    language: lang,
    email: { to: row.acknowledgmentEmail, ...rendered, attachments, headers },
  };
}

type NoticeEmailKind = "notice_received" | "notice_rejected";
const isNoticeKind = (kind: EmailTemplateKind): kind is NoticeEmailKind =>
  kind === "notice_received" || kind === "notice_rejected";

async function composeNoticeEmail(
  db: Db,
  env: Env,
  kind: NoticeEmailKind,
  noticeId: string,
): Promise<Composed> {
  const [notice] = await db
    .select()
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.id, noticeId));
  if (!notice) throw new PermanentEmailFailure(`notice ${noticeId} not found`);
  const [operator] = await db.select().from(operators).where(eq(operators.id, notice.operatorId));
  if (!operator) throw new PermanentEmailFailure(`notice ${noticeId} has no operator`);
  const lang: Lang = isLang(notice.language) ? notice.language : "fr";
  const typed = notice.submitted as { firstName?: string; lastName?: string };
  const templates = loadEmailTemplates(operator.jurisdiction, lang);
  // A rejection says why (the reason's sentence and operations' note) and where to try again.
  const rejection = kind === "notice_rejected" ? parseRejection(notice.rejectionReason) : null;
  const rendered = renderEmail(
    templates,
    kind,
    {
      ...(rejection
        ? {
            reason: [templates.rejectionReasons[rejection.code], rejection.note]
              .filter(Boolean)
              .join(" "),
            cancelUrl: new URL("/resilier", env.APP_URL).toString(),
          }
        : {}),
      ...operatorValues(operator),
      firstName: typed.firstName ?? "",
      lastName: typed.lastName ?? "",
      reference: notice.reference,
      receivedAt: formatDateTime(notice.receivedAt, lang, operator.timeZone),
    },
    lang,
  );
  return { to: notice.email, language: lang, email: { to: notice.email, ...rendered } };
}

/** SMTP 5xx answers are final (unknown mailbox, rejected); everything else may pass later. */
function failureOf(error: unknown): { code: string; permanent: boolean } {
  if (error instanceof PermanentEmailFailure)
    return { code: "composition_failed", permanent: true };
  const { responseCode, code } = error as { responseCode?: number; code?: string };
  if (typeof responseCode === "number")
    return { code: `smtp_${responseCode}`, permanent: responseCode >= 500 && responseCode < 600 };
  return { code: typeof code === "string" ? code.toLowerCase() : "send_failed", permanent: false };
}

const KIND_OF: Record<EmailTemplateKind, EmailMessage["kind"]> = {
  acknowledgment: "acknowledgment",
  withdrawal_confirmation: "withdrawal_confirmation",
  contract_ends_today: "contract_ends_today",
  notice_received: "notice_received",
  notice_rejected: "notice_rejected",
  return_receipt: "return_receipt",
  return_reminder: "return_reminder",
  return_charged: "return_charged",
  refund_issued: "refund_issued",
  winback: "winback",
};

const RETURN_KINDS = new Set<EmailTemplateKind>([
  "return_receipt",
  "return_reminder",
  "return_charged",
  "refund_issued",
]);

export interface SendEmailDeps {
  db: Db;
  mailer: Mailer;
  env: Env;
  logger: Logger;
}

/**
 * Sends one email of a case or notice, once. Each attempt and the final delivery (with the SMTP
 * message id) are audit events; a temporary failure is thrown for the job queue to retry with
 * backoff; a permanent one (or the last retry) marks the message failed for operations to see.
 */
export async function sendEmail(
  deps: SendEmailDeps,
  input: {
    kind: EmailTemplateKind;
    target: EmailTarget;
    /** Tells apart emails of one kind a case gets several times (a reception, a refund …). */
    key?: string;
    retryCount: number;
    retryLimit: number;
  },
): Promise<"sent" | "already_sent" | "failed"> {
  const { db } = deps;
  const kind = KIND_OF[input.kind];
  const dedupeKey = input.key ?? "";
  const where =
    "caseId" in input.target
      ? and(
          eq(emailMessages.caseId, input.target.caseId),
          eq(emailMessages.kind, kind),
          eq(emailMessages.dedupeKey, dedupeKey),
        )
      : and(eq(emailMessages.noticeId, input.target.noticeId), eq(emailMessages.kind, kind));
  const [existing] = await db.select().from(emailMessages).where(where);
  if (existing?.status === "sent") return "already_sent";

  const audit =
    "caseId" in input.target
      ? { caseId: input.target.caseId }
      : { stream: streamForNotice(input.target.noticeId) };
  let composed: Composed | undefined;
  let message = existing;
  try {
    composed =
      isNoticeKind(input.kind) && "noticeId" in input.target
        ? await composeNoticeEmail(db, deps.env, input.kind, input.target.noticeId)
        : "caseId" in input.target && !isNoticeKind(input.kind)
          ? await composeCaseEmail(db, deps.env, input.kind, input.target.caseId, dedupeKey)
          : undefined;
    if (composed === undefined)
      throw new PermanentEmailFailure(`${input.kind} does not apply to this target`);
    if (!message) {
      await db
        .insert(emailMessages)
        .values({
          ...input.target,
          kind,
          dedupeKey,
          toAddress: composed.to,
          language: composed.language,
        })
        .onConflictDoNothing();
      [message] = await db.select().from(emailMessages).where(where);
    }
    if (!message) throw new Error("email message row missing");
    const host = new URL(deps.env.APP_URL).hostname;
    const sent = await deps.mailer.send({
      ...composed.email,
      messageId: `<${message.id}@${host}>`,
    });
    const emailId = message.id;
    await db.transaction(async (tx) => {
      await tx
        .update(emailMessages)
        .set({
          status: "sent",
          attempts: sql`${emailMessages.attempts} + 1`,
          smtpMessageId: sent.smtpMessageId,
          sentAt: new Date(),
          lastError: null,
        })
        .where(eq(emailMessages.id, emailId));
      await recordEvent(tx, {
        ...audit,
        type: "email.attempted",
        actor: { type: "system", id: null },
        meta: { ip: null, userAgent: null },
        data: {
          emailId,
          kind,
          attempt: message!.attempts + 1,
          outcome: "sent",
          smtpMessageId: sent.smtpMessageId,
        },
      });
    });
    deps.logger.info({ emailId, kind, ...audit }, "email sent");
    return "sent";
  } catch (error) {
    const failure = failureOf(error);
    const final = failure.permanent || input.retryCount >= input.retryLimit;
    if (message) {
      const emailId = message.id;
      await db.transaction(async (tx) => {
        await tx
          .update(emailMessages)
          .set({
            status: final ? "failed" : "queued",
            attempts: sql`${emailMessages.attempts} + 1`,
            lastError: failure.code,
          })
          .where(eq(emailMessages.id, emailId));
        await recordEvent(tx, {
          ...audit,
          type: "email.attempted",
          actor: { type: "system", id: null },
          meta: { ip: null, userAgent: null },
          data: {
            emailId,
            kind,
            attempt: message!.attempts + 1,
            outcome: "failed",
            errorCode: failure.code,
          },
        });
      });
    }
    deps.logger.warn({ kind, ...audit, errorCode: failure.code, final }, "email attempt failed");
    if (final) return "failed";
    throw error;
  }
}
