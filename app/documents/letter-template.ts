import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The wording of the termination letter lives in
// templates/<jurisdiction>/termination-letter.<language>.json, so that a compliance person can
// change a sentence without touching code. Each sentence below lists the {placeholders} it may
// use; a missing sentence, an unknown key or an unknown placeholder fails at load, by name.

export const LETTER_SENTENCES = {
  "document.title": [],
  /** The title when the subscriber withdraws from the contract (EU withdrawal, CRD art. 11a). */
  "document.titleWithdrawal": [],
  "document.fileName": ["reference"],
  "letterhead.vat": ["vatNumber"],
  "subscriber.customerNumber": ["customerNumber"],
  "letter.date": ["date"],

  "facts.reference": [],
  "facts.receivedAt": [],
  "facts.endDate": [],
  "facts.type": [],
  "facts.reason": [],

  "type.ordinary": [],
  "type.legitimate_reason": [],
  "type.extraordinary": [],
  "type.withdrawal": [],

  "reason.moving_uncovered": [],
  "reason.job_loss": [],
  "reason.over_indebtedness": [],
  "reason.long_illness": [],
  "reason.death": [],
  "reason.unemployment": [],
  "reason.incapacity": [],
  "reason.moving_abroad": [],
  "reason.service_failure": [],
  "reason.contract_change": [],
  "reason.good_cause": [],
  "reason.proofReminder": ["email", "reference"],

  "intro.salutation": ["name"],
  "intro.received": ["receivedAt", "endDate"],
  "intro.receivedWithdrawal": ["receivedAt", "endDate"],
  "intro.purpose": [],
  "intro.keep": [],

  "contracts.heading": [],
  "contracts.contract": ["offer", "contractNumber"],
  "contracts.lines": ["lines"],

  "fees.heading": [],
  "fees.column.description": [],
  "fees.column.computation": [],
  "fees.column.share": [],
  "fees.column.amount": [],
  "fees.line.months_to_twelve": [],
  "fees.line.share_after_twelve": [],
  "fees.line.remaining_commitment": [],
  "fees.line.advantage_pro_rata": [],
  "fees.line.remaining_fees_share": [],
  "fees.duration.months": ["months"],
  "fees.duration.days": ["days"],
  "fees.duration.monthsAndDays": ["months", "days"],
  "fees.computation": ["duration", "monthly"],
  /** The advantage line: the whole advantage × the remaining period / the whole commitment. */
  "fees.computationProRata": ["advantage", "remaining", "total"],
  /** Under the table when the total is the lower of the lines, not their sum (Portugal). */
  "fees.lowerOf": [],
  "fees.total": [],
  "fees.totalSentence": ["amount"],
  "fees.grandTotal": ["amount"],
  "fees.commitmentEnds": ["date"],
  "fees.waiver.no_commitment": [],
  "fees.waiver.commitment_over": [],
  "fees.waiver.tacitly_renewed": [],
  "fees.waiver.legitimate_reason": [],
  "fees.waiver.withdrawal": [],
  "fees.waiver.no_early_termination_fee": [],

  "equipment.heading": [],
  "equipment.none": [],
  "equipment.column.item": [],
  "equipment.column.charge": [],
  "equipment.item": ["kind", "model"],
  "equipment.kind.box": [],
  "equipment.kind.tv_decoder": [],
  "equipment.kind.sim": [],
  "equipment.kind.remote": [],
  "equipment.kind.powerline": [],
  "equipment.kind.phone": [],
  "equipment.kind.other": [],
  "equipment.totalCharge": [],
  "equipment.deadline": ["date"],
  "equipment.methods": ["methods"],
  "equipment.method.relay_point": [],
  "equipment.method.post_office": [],
  "equipment.method.shop": [],
  "equipment.method.courier_pickup": [],
  "equipment.address": ["address"],

  "refunds.heading": [],
  "refunds.none": [],
  "refunds.column.kind": [],
  "refunds.column.amount": [],
  "refunds.column.deadline": [],
  "refunds.kind.deposit": [],
  "refunds.kind.advance_payment": [],
  "refunds.kind.credit_balance": [],
  "refunds.afterEquipment": ["days"],
  "refunds.afterLastInvoice": ["days"],

  "withdrawal.heading": [],
  "withdrawal.refunds": ["days"],

  "withdraw.heading": [],
  "withdraw.body": ["lastDay", "endDate", "url", "reference", "email"],

  "legal.heading": [],
  "legal.intro": [],

  "contact.heading": [],
  "contact.email": ["email", "reference"],
  "contact.phone": ["phone"],

  "closing.regards": [],
  "closing.signature": ["operator"],

  "footer.reference": ["operator", "reference"],
  "footer.page": ["page", "pages"],
} as const satisfies Record<string, readonly string[]>;

export type LetterSentence = keyof typeof LETTER_SENTENCES;
export type LetterTemplate = Record<LetterSentence, string>;
/** The values a sentence needs: exactly its placeholders. */
export type SentenceParams<K extends LetterSentence> = Record<
  (typeof LETTER_SENTENCES)[K][number],
  string
>;

/** The sentences without placeholders: labels looked up by code (`reason.${code}` …). */
export type PlainSentence = {
  [K in LetterSentence]: (typeof LETTER_SENTENCES)[K] extends readonly [] ? K : never;
}[LetterSentence];

export function isPlainSentence(key: string): key is PlainSentence {
  return (
    Object.hasOwn(LETTER_SENTENCES, key) && LETTER_SENTENCES[key as LetterSentence].length === 0
  );
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** A non-empty sentence using only the `allowed` placeholders (also used by the return label). */
export function sentenceSchema(allowed: readonly string[]) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? "missing sentence" : "must be a string"),
    })
    .min(1, "is empty")
    .superRefine((text, ctx) => {
      for (const [, name] of text.matchAll(PLACEHOLDER)) {
        if (name !== undefined && !allowed.includes(name)) {
          const known = allowed.length > 0 ? allowed.map((p) => `{${p}}`).join(", ") : "none";
          ctx.addIssue({
            code: "custom",
            message: `unknown placeholder {${name}} (this sentence may use: ${known})`,
          });
        }
      }
    });
}

export const LetterTemplateSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(LETTER_SENTENCES).map(([key, allowed]) => [key, sentenceSchema(allowed)]),
  ) as Record<LetterSentence, ReturnType<typeof sentenceSchema>>,
);

export class LetterTemplateError extends Error {
  override name = "LetterTemplateError";
}

/** One validation issue as `"key": problem` (also used by the return label). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `"${key}": unknown sentence (misspelt key?)`).join("; ");
  }
  return `"${issue.path.join(".")}": ${issue.message}`;
}

/** Validates parsed JSON as a letter template; `source` names the file in the error. */
export function parseLetterTemplate(raw: unknown, source: string): LetterTemplate {
  const result = LetterTemplateSchema.safeParse(raw);
  if (!result.success) {
    throw new LetterTemplateError(
      `${source}: ${result.error.issues.map(describeIssue).join("; ")}`,
    );
  }
  return result.data;
}

/**
 * Resolved from the working directory (the project root, as npm runs every script), like the
 * email templates: the same path from the source, from the Vite build and from tests.
 */
export const TEMPLATES_DIR = path.resolve("templates");

/**
 * The reference pack: documents that are not jurisdiction-specific (the return label, the
 * evidence summary) fall back to its wording when a jurisdiction has no file of its own.
 */
export const REFERENCE_JURISDICTION = "FR";

/**
 * `templates/<jurisdiction>/<doc>.<language>.json` when that file exists, else the reference
 * pack's (`templates/fr/…`): for documents whose wording does not depend on the law.
 */
export function templatePathWithFallback(
  pathOf: (jurisdiction: string) => string,
  jurisdiction: string,
): string {
  const own = pathOf(jurisdiction);
  return existsSync(own) ? own : pathOf(REFERENCE_JURISDICTION);
}

export function letterTemplatePath(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): string {
  return path.join(templatesDir, jurisdiction.toLowerCase(), `termination-letter.${language}.json`);
}

/** Reads and validates one template file (no cache: see `letterTemplate`). */
export function loadLetterTemplate(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): LetterTemplate {
  const file = letterTemplatePath(jurisdiction, language, templatesDir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LetterTemplateError(`${file}: cannot be read as JSON`, { cause: error });
  }
  return parseLetterTemplate(raw, file);
}

const cache = new Map<string, LetterTemplate>();

/** The template of a jurisdiction and language, loaded once per process. */
export function letterTemplate(jurisdiction: string, language: string): LetterTemplate {
  const key = `${jurisdiction}/${language}`;
  let template = cache.get(key);
  if (!template) {
    template = loadLetterTemplate(jurisdiction, language);
    cache.set(key, template);
  }
  return template;
}

/** Replaces `{name}` placeholders; the load-time check guarantees every one has a value. */
export function interpolate(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (placeholder, name: string) => params[name] ?? placeholder);
}

type ParamsArgument<K extends LetterSentence> = (typeof LETTER_SENTENCES)[K] extends readonly []
  ? []
  : [params: SentenceParams<K>];
export type LetterText = <K extends LetterSentence>(key: K, ...params: ParamsArgument<K>) => string;

/** `t(key, params)` over one template, typed so that each sentence gets exactly its values. */
export function letterText(template: LetterTemplate): LetterText {
  function t(key: LetterSentence, params?: Readonly<Record<string, string>>): string {
    const text = template[key];
    return params ? interpolate(text, params) : text;
  }
  return t as LetterText;
}
