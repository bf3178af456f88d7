import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { EquipmentKind } from "../domain/enums";
import {
  describeIssue,
  interpolate,
  LetterTemplateError,
  sentenceSchema,
  templatePathWithFallback,
  TEMPLATES_DIR,
} from "./letter-template";

// The wording of the return label lives in templates/<jurisdiction>/return-label.<language>.json,
// checked like the termination letter's (letter-template.ts): each sentence lists the
// {placeholders} it may use; a missing sentence, an unknown key or an unknown placeholder fails
// at load, by name. The label is not jurisdiction-specific: a jurisdiction without its own file
// uses the reference pack's (templates/fr/).

export const RETURN_LABEL_SENTENCES = {
  "document.title": [],
  "document.fileName": ["returnNumber"],

  "label.title": ["operator"],
  "label.to": [],
  "label.from": [],
  "label.returnNumber": [],
  "label.code128Alt": ["returnNumber"],
  "label.qrAlt": ["returnNumber"],
  "label.cutHere": [],

  "slip.title": [],
  "slip.caseReference": [],
  "slip.returnNumber": [],
  "slip.deadline": [],
  "slip.itemsHeading": [],
  "slip.item": ["kind", "model"],
  "slip.serial": ["serial"],

  "kind.box": [],
  "kind.tv_decoder": [],
  "kind.sim": [],
  "kind.remote": [],
  "kind.powerline": [],
  "kind.phone": [],
  "kind.other": [],

  "instructions.heading": [],
  "instructions.pack": [],
  "instructions.label": [],
  "instructions.receipt": [],
  "instructions.sim": [],

  "footer.identity": ["legalName", "registrationNumber"],
  "footer.contact": ["email", "returnNumber"],
} as const satisfies Record<string, readonly string[]> &
  Record<`kind.${EquipmentKind}`, readonly []>;

export type ReturnLabelSentence = keyof typeof RETURN_LABEL_SENTENCES;
export type ReturnLabelTemplate = Record<ReturnLabelSentence, string>;

export const ReturnLabelTemplateSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(RETURN_LABEL_SENTENCES).map(([key, allowed]) => [key, sentenceSchema(allowed)]),
  ) as Record<ReturnLabelSentence, ReturnType<typeof sentenceSchema>>,
);

/** Validates parsed JSON as a return label template; `source` names the file in the error. */
export function parseReturnLabelTemplate(raw: unknown, source: string): ReturnLabelTemplate {
  const result = ReturnLabelTemplateSchema.safeParse(raw);
  if (!result.success) {
    throw new LetterTemplateError(
      `${source}: ${result.error.issues.map(describeIssue).join("; ")}`,
    );
  }
  return result.data;
}

export function returnLabelTemplatePath(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): string {
  return path.join(templatesDir, jurisdiction.toLowerCase(), `return-label.${language}.json`);
}

/**
 * Reads and validates one template file (no cache: see `returnLabelTemplate`): the
 * jurisdiction's own file, else the reference pack's.
 */
export function loadReturnLabelTemplate(
  jurisdiction: string,
  language: string,
  templatesDir = TEMPLATES_DIR,
): ReturnLabelTemplate {
  const file = templatePathWithFallback(
    (code) => returnLabelTemplatePath(code, language, templatesDir),
    jurisdiction,
  );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new LetterTemplateError(`${file}: cannot be read as JSON`, { cause: error });
  }
  return parseReturnLabelTemplate(raw, file);
}

const cache = new Map<string, ReturnLabelTemplate>();

/** The template of a jurisdiction and language, loaded once per process. */
export function returnLabelTemplate(jurisdiction: string, language: string): ReturnLabelTemplate {
  const key = `${jurisdiction}/${language}`;
  let template = cache.get(key);
  if (!template) {
    template = loadReturnLabelTemplate(jurisdiction, language);
    cache.set(key, template);
  }
  return template;
}

type ParamsArgument<K extends ReturnLabelSentence> =
  (typeof RETURN_LABEL_SENTENCES)[K] extends readonly []
    ? []
    : [params: Record<(typeof RETURN_LABEL_SENTENCES)[K][number], string>];
export type ReturnLabelText = <K extends ReturnLabelSentence>(
  key: K,
  ...params: ParamsArgument<K>
) => string;

/** `t(key, params)` over one template, typed so that each sentence gets exactly its values. */
export function returnLabelText(template: ReturnLabelTemplate): ReturnLabelText {
  function t(key: ReturnLabelSentence, params?: Readonly<Record<string, string>>): string {
    const text = template[key];
    return params ? interpolate(text, params) : text;
  }
  return t as ReturnLabelText;
}
