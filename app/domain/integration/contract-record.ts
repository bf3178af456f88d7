import { z } from "zod";
import { CONTRACT_CATEGORIES, EQUIPMENT_KINDS, JURISDICTIONS, LANGUAGES } from "~/domain/enums";

// One contract as the operator's BSS sends it (integration API and bulk import, issue #9),
// identified by the BSS's own ids: `subscriber.externalId`, `contract.externalId`,
// `equipment[].externalId`; lines by their phone number. Browser-safe and pure. The constraints
// mirror db/schema.ts (subscriber, contract, line, equipment) so that a valid record never
// fails a check constraint. Messages are short English sentences: the API answers with them,
// the import page translates them (`contractRecordMessageFr`).

/** int4 upper bound: every amount column is an `integer`. */
const MAX_CENTS = 2_147_483_647;

const text = (max: number) =>
  z
    .string({ error: "Required." })
    .trim()
    .min(1, { error: "Required." })
    .max(max, { error: `At most ${max} characters.` });
const optionalText = (max: number) => text(max).nullish();
const cents = () =>
  z
    .int({ error: "Must be a whole number of cents." })
    .min(0, { error: "Must be zero or more." })
    .max(MAX_CENTS, { error: "Too large." });
const isoDate = () => z.iso.date({ error: "Must be a date (YYYY-MM-DD)." });

/** E.164, as the `line_phone_number_check` constraint wants it. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;

export const RECORD_LANGUAGES = LANGUAGES;
export const RECORD_CONTRACT_STATUSES = ["active", "terminated"] as const;

export const SubscriberRecord = z.strictObject({
  externalId: text(120),
  customerNumber: text(60),
  firstName: text(100),
  lastName: text(100),
  email: z
    .email({ error: "Must be an email address." })
    .max(254, { error: "At most 254 characters." }),
  phone: optionalText(30),
  addressLine1: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: "Must be a two-letter country code (FR)." })
    .default("FR"),
  language: z
    .enum(RECORD_LANGUAGES, { error: `Must be one of ${RECORD_LANGUAGES.join(", ")}.` })
    .default("fr"),
});

export const ContractDetailsRecord = z.strictObject({
  externalId: text(120),
  contractNumber: text(60),
  offerName: text(200),
  category: z.enum(CONTRACT_CATEGORIES, {
    error: `Must be one of ${CONTRACT_CATEGORIES.join(", ")}.`,
  }),
  jurisdiction: z.enum(JURISDICTIONS, { error: `Must be one of ${JURISDICTIONS.join(", ")}.` }),
  monthlyPriceCents: cents(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: "Must be a three-letter currency code (EUR)." })
    .default("EUR"),
  startDate: isoDate(),
  commitmentMonths: z
    .int({ error: "Must be a whole number of months." })
    .min(0, { error: "Must be between 0 and 24." })
    .max(24, { error: "Must be between 0 and 24." })
    .default(0),
  tacitlyRenewed: z.boolean({ error: "Must be true or false." }).default(false),
  depositCents: cents().default(0),
  subsidisedDeviceValueCents: cents().default(0),
  withdrawalPeriodEnds: isoDate().nullish(),
  status: z
    .enum(RECORD_CONTRACT_STATUSES, { error: "Must be active or terminated." })
    .default("active"),
});

export const LineRecord = z.strictObject({
  phoneNumber: z
    .string({ error: "Required." })
    .trim()
    .regex(E164, { error: "Must be a phone number in E.164 format (+33123456789)." }),
});

export const EquipmentRecord = z
  .strictObject({
    externalId: text(120),
    kind: z.enum(EQUIPMENT_KINDS, { error: `Must be one of ${EQUIPMENT_KINDS.join(", ")}.` }),
    model: text(120),
    serial: optionalText(120),
    mustReturn: z.boolean({ error: "Must be true or false." }),
    nonReturnChargeCents: cents().default(0),
    depositCents: cents().default(0),
  })
  .refine((item) => !(item.kind === "sim" && item.mustReturn), {
    error: "A SIM card is never returned.",
    path: ["mustReturn"],
  });

export const ContractRecord = z
  .strictObject({
    subscriber: SubscriberRecord,
    contract: ContractDetailsRecord,
    lines: z.array(LineRecord).max(50, { error: "At most 50 lines." }).default([]),
    equipment: z.array(EquipmentRecord).max(50, { error: "At most 50 items." }).default([]),
  })
  .superRefine((record, ctx) => {
    const phones = new Set<string>();
    record.lines.forEach((line, index) => {
      if (phones.has(line.phoneNumber)) {
        ctx.addIssue({
          code: "custom",
          path: ["lines", index, "phoneNumber"],
          message: "Listed twice.",
        });
      }
      phones.add(line.phoneNumber);
    });
    const ids = new Set<string>();
    record.equipment.forEach((item, index) => {
      if (ids.has(item.externalId)) {
        ctx.addIssue({
          code: "custom",
          path: ["equipment", index, "externalId"],
          message: "Listed twice.",
        });
      }
      ids.add(item.externalId);
    });
    const end = record.contract.withdrawalPeriodEnds;
    if (end != null && end < record.contract.startDate) {
      ctx.addIssue({
        code: "custom",
        path: ["contract", "withdrawalPeriodEnds"],
        message: "Must not be before the start date.",
      });
    }
  });

export type ContractRecord = z.infer<typeof ContractRecord>;
/** What a caller sends (defaults not yet applied). */
export type ContractRecordInput = z.input<typeof ContractRecord>;

/** One problem of a record: the dotted path of the field (`lines.0.phoneNumber`) and why. */
export interface ContractRecordIssue {
  field: string | null;
  message: string;
}

/** The problems zod found, one per field, with the field as a dotted path. */
export function contractRecordIssues(error: z.ZodError): ContractRecordIssue[] {
  const seen = new Set<string>();
  const issues: ContractRecordIssue[] = [];
  for (const issue of error.issues) {
    const path =
      issue.code === "unrecognized_keys" && issue.keys[0] !== undefined
        ? [...issue.path, issue.keys[0]]
        : issue.path;
    const field = path.length === 0 ? null : path.map(String).join(".");
    const key = field ?? "";
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({
      field,
      message: issue.code === "unrecognized_keys" ? "Unknown field." : issue.message,
    });
  }
  return issues;
}

/** French translations of the messages above (the import page shows them to admin). */
const FRENCH: Record<string, string> = {
  "Required.": "Obligatoire.",
  "Must be a whole number of cents.": "Doit être un nombre entier de centimes.",
  "Must be zero or more.": "Doit être positif ou nul.",
  "Too large.": "Trop grand.",
  "Must be a date (YYYY-MM-DD).": "Doit être une date (AAAA-MM-JJ).",
  "Must be an email address.": "Doit être une adresse e-mail.",
  "Must be a two-letter country code (FR).": "Doit être un code pays à deux lettres (FR).",
  "Must be a three-letter currency code (EUR).": "Doit être un code devise à trois lettres (EUR).",
  "Must be a whole number of months.": "Doit être un nombre entier de mois.",
  "Must be between 0 and 24.": "Doit être compris entre 0 et 24.",
  "Must be true or false.": "Doit être true ou false.",
  "Must be active or terminated.": "Doit être active ou terminated.",
  "Must be a phone number in E.164 format (+33123456789).":
    "Doit être un numéro au format E.164 (+33123456789).",
  "A SIM card is never returned.": "Une carte SIM n'est jamais retournée.",
  "At most 50 lines.": "50 lignes au plus.",
  "At most 50 items.": "50 équipements au plus.",
  "Listed twice.": "Présent deux fois.",
  "Must not be before the start date.": "Ne doit pas précéder la date de début.",
  "Unknown field.": "Champ inconnu.",
};

/**
 * The message in the admin's language. English messages are returned as they are; the few with
 * a number or a list (lengths, enums) have a French pattern. Portuguese and German readers get
 * the English message (these are technical messages for the operator's IT).
 */
export function translateRecordMessage(message: string, language: string): string {
  if (language !== "fr") return message;
  const exact = FRENCH[message];
  if (exact !== undefined) return exact;
  const atMost = /^At most (\d+) characters\.$/.exec(message);
  if (atMost) return `${atMost[1]} caractères au plus.`;
  const oneOf = /^Must be one of (.+)\.$/.exec(message);
  if (oneOf) return `Doit être l'une des valeurs : ${oneOf[1]}.`;
  return message;
}
