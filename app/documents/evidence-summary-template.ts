import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AuditEventType } from "../audit/events";
import type {
  CaseStatus,
  DOCUMENT_KINDS,
  EMAIL_KINDS,
  EMAIL_STATUSES,
  TERMINATION_TYPES,
} from "../domain/enums";
import {
  describeIssue,
  interpolate,
  LetterTemplateError,
  sentenceSchema,
  templatePathWithFallback,
  TEMPLATES_DIR,
} from "./letter-template";

// The wording of the evidence summary (summary.pdf of a case's evidence pack) lives in
// templates/<jurisdiction>/evidence-summary.<language>.json, checked like the termination
// letter's (letter-template.ts): each sentence lists the {placeholders} it may use; a missing
// sentence, an unknown key or an unknown placeholder fails at load, by name. The summary is not
// jurisdiction-specific: a jurisdiction without its own file uses the reference pack's
// (templates/fr/).

/**
 * The event types a case's chain holds, each worded in the timeline. A type written into case
 * chains later and not worded yet is printed as its code: the summary never fails over a label.
 */
export const CASE_CHAIN_EVENT_TYPES = [
  "case.identified",
  "case.summary_shown",
  "case.notified",
  "case.confirmed",
  "case.withdrawn",
  "case.effective",
  "case.closed",
  "case.viewed",
  "document.created",
  "email.attempted",
  "notice.matched",
  "survey.answered",
  "consent.withdrawn",
  "winback.item_routed",
  "winback.claimed",
  "winback.contact_logged",
  "winback.closed",
  "return.created",
  "return.method_chosen",
  "return.updated",
  "return.carrier_event",
  "return.items_received",
  "return.charged",
  "refund.updated",
  "evidence.downloaded",
] as const satisfies readonly AuditEventType[];

type EventSentences = Record<`event.${(typeof CASE_CHAIN_EVENT_TYPES)[number]}`, readonly []>;

export const EVIDENCE_SUMMARY_SENTENCES = {
  "document.title": [],
  "document.fileName": ["reference"],
  "document.heading": ["reference"],
  "document.generatedForStaff": ["date", "operator"],
  "document.generatedForSubscriber": ["date"],
  "document.intro": ["operator"],

  "case.heading": [],
  "case.reference": [],
  "case.operator": [],
  "case.receivedAt": [],
  "case.endDate": [],
  "case.status": [],
  "case.type": [],
  "case.withdrawnAt": [],
  "case.contracts": [],
  "case.contract": ["offer", "contractNumber"],

  "status.received": [],
  "status.confirmed": [],
  "status.effective": [],
  "status.closed": [],
  "status.withdrawn": [],

  "type.ordinary": [],
  "type.legitimate_reason": [],
  "type.extraordinary": [],
  "type.withdrawal": [],

  "timeline.heading": [],
  "timeline.intro": ["count", "stream"],
  "timeline.column.seq": [],
  "timeline.column.time": [],
  "timeline.column.event": [],
  "timeline.column.actor": [],
  "timeline.column.hash": [],

  "actor.subscriber": [],
  "actor.staff": [],
  "actor.system": [],
  "actor.integration": [],

  "event.case.identified": [],
  "event.case.summary_shown": [],
  "event.case.notified": [],
  "event.case.confirmed": [],
  "event.case.withdrawn": [],
  "event.case.effective": [],
  "event.case.closed": [],
  "event.case.viewed": [],
  "event.document.created": [],
  "event.email.attempted": [],
  "event.notice.matched": [],
  "event.survey.answered": [],
  "event.consent.withdrawn": [],
  "event.winback.item_routed": [],
  "event.winback.claimed": [],
  "event.winback.contact_logged": [],
  "event.winback.closed": [],
  "event.return.created": [],
  "event.return.method_chosen": [],
  "event.return.updated": [],
  "event.return.carrier_event": [],
  "event.return.items_received": [],
  "event.return.charged": [],
  "event.refund.updated": [],
  "event.evidence.downloaded": [],

  "documents.heading": [],
  "documents.intro": [],
  "documents.none": [],
  "documents.column.file": [],
  "documents.column.created": [],
  "documents.column.size": [],
  "documents.column.sha256": [],
  "documents.purged": ["date"],

  "kind.termination_letter": [],
  "kind.withdrawal_letter": [],
  "kind.return_label": [],
  "kind.return_receipt": [],
  "kind.evidence_pack": [],
  "kind.proof": [],
  "kind.item_photo": [],

  "emails.heading": [],
  "emails.intro": [],
  "emails.none": [],
  "emails.column.kind": [],
  "emails.column.messageId": [],
  "emails.recipient": ["recipient"],
  "emails.sentAt": ["date"],
  "emails.notSent": [],

  "emailKind.acknowledgment": [],
  "emailKind.withdrawal_confirmation": [],
  "emailKind.contract_ends_today": [],
  "emailKind.notice_received": [],
  "emailKind.notice_rejected": [],
  "emailKind.return_receipt": [],
  "emailKind.return_reminder": [],
  "emailKind.return_charged": [],
  "emailKind.refund_issued": [],
  "emailKind.password_reset": [],
  "emailKind.winback": [],

  "emailStatus.queued": [],
  "emailStatus.sent": [],
  "emailStatus.failed": [],

  "proof.heading": [],
  "proof.intro": ["operator"],
  "proof.stream": [],
  "proof.events": [],
  "proof.head": [],
  "proof.link": ["seq"],
  "proof.checkpoint": [],
  "proof.checkpointValue": ["id", "date"],
  "proof.root": [],
  "proof.keyId": [],
  "proof.signature": [],
  "proof.covered": [],
  "proof.after": [],
  "proof.afterValue": ["count"],
  "proof.stepsHeading": [],
  "proof.column.step": [],
  "proof.column.side": [],
  "proof.column.hash": [],
  "proof.side.L": [],
  "proof.side.R": [],
  "proof.noSteps": [],
  "proof.noCheckpoint": [],
  "proof.notCovered": ["id", "date"],

  "verify.heading": [],
  "verify.intro": ["operator"],
  "verify.files": [],
  "verify.chain": [],
  "verify.proof": [],
  "verify.signature": [],
  "verify.tool": [],

  "footer.reference": ["operator", "reference"],
  "footer.page": ["page", "pages"],
} as const satisfies Record<string, readonly string[]> &
  EventSentences &
  Record<`status.${CaseStatus}`, readonly []> &
  Record<`type.${(typeof TERMINATION_TYPES)[number]}`, readonly []> &
  Record<`kind.${(typeof DOCUMENT_KINDS)[number]}`, readonly []> &
  Record<`emailKind.${(typeof EMAIL_KINDS)[number]}`, readonly []> &
  Record<`emailStatus.${(typeof EMAIL_STATUSES)[number]}`, readonly []>;

export type EvidenceSummarySentence = keyof typeof EVIDENCE_SUMMARY_SENTENCES;
export type EvidenceSummaryTemplate = Record<EvidenceSummarySentence, string>;

export const EvidenceSummaryTemplateSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(EVIDENCE_SUMMARY_SENTENCES).map(([key, allowed]) => [
      key,
      sentenceSchema(allowed),
    ]),
  ) as Record<EvidenceSummarySentence, ReturnType<typeof sentenceSchema>>,
);

/** Validates parsed JSON as an evidence summary template; `source` names the file in the error. */
export function parseEvidenceSummaryTemplate(
  raw: unknown,
  source: string,
): EvidenceSummaryTemplate {
  const result = EvidenceSummaryTemplateSchema.safeParse(raw);
  if (!result.success) {
    throw new LetterTemplateError(
      `${source}: ${result.error.issues.map(describeIssue).join("; ")}`,
    );
  }
  return result.data;
}

export function evidenceSummaryTemplatePath(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): string {
  return path.join(templatesDir, jurisdiction.toLowerCase(), `evidence-summary.${language}.json`);
}

/**
 * Reads and validates one template file (no cache: see `evidenceSummaryTemplate`): the
 * jurisdiction's own file, else the reference pack's.
 */
export function loadEvidenceSummaryTemplate(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): EvidenceSummaryTemplate {
  const file = templatePathWithFallback(
    (code) => evidenceSummaryTemplatePath(code, language, templatesDir),
    jurisdiction,
  );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LetterTemplateError(`${file}: cannot be read as JSON`, { cause: error });
  }
  return parseEvidenceSummaryTemplate(raw, file);
}

const cache = new Map<string, EvidenceSummaryTemplate>();

/** The template of a jurisdiction and language, loaded once per process. */
export function evidenceSummaryTemplate(
  jurisdiction: string,
  language: string,
): EvidenceSummaryTemplate {
  const key = `${jurisdiction}/${language}`;
  let template = cache.get(key);
  if (!template) {
    template = loadEvidenceSummaryTemplate(jurisdiction, language);
    cache.set(key, template);
  }
  return template;
}

type ParamsArgument<K extends EvidenceSummarySentence> =
  (typeof EVIDENCE_SUMMARY_SENTENCES)[K] extends readonly []
    ? []
    : [params: Record<(typeof EVIDENCE_SUMMARY_SENTENCES)[K][number], string>];
export type EvidenceSummaryText = <K extends EvidenceSummarySentence>(
  key: K,
  ...params: ParamsArgument<K>
) => string;

/** `t(key, params)` over one template, typed so that each sentence gets exactly its values. */
export function evidenceSummaryText(template: EvidenceSummaryTemplate): EvidenceSummaryText {
  function t(key: EvidenceSummarySentence, params?: Readonly<Record<string, string>>): string {
    const text = template[key];
    return params ? interpolate(text, params) : text;
  }
  return t as EvidenceSummaryText;
}

/** Whether `key` is a sentence of the template without placeholders (labels looked up by code). */
export function isPlainEvidenceSentence(key: string): key is {
  [K in EvidenceSummarySentence]: (typeof EVIDENCE_SUMMARY_SENTENCES)[K] extends readonly []
    ? K
    : never;
}[EvidenceSummarySentence] {
  return (
    Object.hasOwn(EVIDENCE_SUMMARY_SENTENCES, key) &&
    EVIDENCE_SUMMARY_SENTENCES[key as EvidenceSummarySentence].length === 0
  );
}
