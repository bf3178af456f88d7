import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summariseCancellation, type CancellationSummary } from "../domain/cancellation-summary";
import { JURISDICTIONS, type Jurisdiction } from "../domain/enums";
import { fr } from "../domain/jurisdictions/fr";
import type { FeeComputation } from "../domain/jurisdictions/types";
import { LANGUAGES, type Lang } from "../i18n/i18n";
import { EMAIL_MESSAGE_KEYS, loadEmailTemplates } from "../mail/email-templates";
import { renderEmail } from "../mail/render-email";
import { loadEvidenceSummaryTemplate } from "./evidence-summary-template";
import {
  LETTER_SENTENCES,
  LetterTemplateError,
  TEMPLATES_DIR,
  letterTemplatePath,
  loadLetterTemplate,
  parseLetterTemplate,
  type LetterTemplate,
} from "./letter-template";
import { renderTerminationLetter } from "./render-termination-letter";
import { loadReturnLabelTemplate, returnLabelTemplatePath } from "./return-label-template";
import type { TerminationLetterData } from "./termination-letter-data";

// Every jurisdiction × every language: each file loads, a real letter renders (read back with
// pdftotext), every email renders, and no sentence was left in English by mistake.

const workDir = mkdtempSync(path.join(tmpdir(), "templates-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const NON_ENGLISH = LANGUAGES.filter((lang) => lang !== "en");
const DOCUMENTS = ["termination-letter", "emails", "return-label", "evidence-summary"] as const;
/** Wording that does not depend on the law lives in the reference pack only (templates/README.md). */
const JURISDICTION_SPECIFIC = new Set<(typeof DOCUMENTS)[number]>(["termination-letter", "emails"]);

const OPERATOR: Record<Jurisdiction, TerminationLetterData["operator"]> = {
  FR: {
    legalName: "Nébula Télécom SAS",
    addressLines: ["12 rue des Étoiles", "75011 Paris"],
    registrationNumber: "RCS Paris 912 345 678",
    vatNumber: "FR32912345678",
    supportEmail: "resiliation@nebula-telecom.example",
    supportPhone: "+33 9 70 00 00 00",
    returnAddress: "Nébula Télécom — Service retours, 4 allée des Entrepôts, 93200 Saint-Denis",
    timeZone: "Europe/Paris",
  },
  PT: {
    legalName: "Nébula Telecomunicações, S.A.",
    addressLines: ["Avenida da Liberdade 110", "1250-146 Lisboa"],
    registrationNumber: "NIPC 509 876 543",
    vatNumber: "PT509876543",
    supportEmail: "denuncia@nebula-telecom.example",
    supportPhone: null,
    returnAddress: "Nébula — Devoluções, Rua do Armazém 4, 2685-000 Sacavém",
    timeZone: "Europe/Lisbon",
  },
  DE: {
    legalName: "Nébula Telekommunikation GmbH",
    addressLines: ["Friedrichstraße 100", "10117 Berlin"],
    registrationNumber: "HRB 123456 B, AG Charlottenburg",
    vatNumber: "DE123456789",
    supportEmail: "kuendigung@nebula-telecom.example",
    supportPhone: null,
    returnAddress: "Nébula — Retouren, Lagerweg 4, 14974 Ludwigsfelde",
    timeZone: "Europe/Berlin",
  },
};

/** What the packs cite, as printed under "legal basis" (the letter only lists them). */
const LEGAL_BASIS: Record<Jurisdiction, TerminationLetterData["legalBasis"]> = {
  FR: [...fr.legalBasis],
  PT: [
    {
      code: "Lei 16/2022",
      text: "Lei n.º 16/2022, de 16 de agosto (Lei das Comunicações Eletrónicas)",
    },
  ],
  DE: [{ code: "§ 312k BGB", text: "§ 312k BGB (Kündigungsbutton)" }],
};

/** Portugal (Lei 16/2022): the lower of the advantage pro rata and 50 % of the fees still due. */
const LOWER_OF: FeeComputation = {
  totalCents: 22500,
  currency: "EUR",
  rule: "lower_of",
  lines: [
    {
      kind: "advantage_pro_rata",
      months: 18,
      days: 0,
      monthlyCents: 3000,
      sharePercent: 75,
      periodCents: 30000,
      amountCents: 22500,
    },
    {
      kind: "remaining_fees_share",
      months: 18,
      days: 0,
      monthlyCents: 3000,
      sharePercent: 50,
      periodCents: 54000,
      amountCents: 27000,
    },
  ],
  remainingFeesCents: 54000,
  commitmentEndDate: "2028-05-31",
};

/** The fixture of render-termination-letter.test.ts (a 24-month bundle with two devices). */
function frenchSummary(): CancellationSummary {
  return summariseCancellation({
    pack: fr,
    policy: { returnDeadlineDays: 30, returnMethods: ["relay_point", "post_office", "shop"] },
    receivedAt: new Date("2026-11-23T09:15:30.000Z"),
    contracts: [
      {
        id: "contract-1",
        contractNumber: "CT-2026-000101",
        offerName: "Fibre 1 Gb/s + TV",
        category: "bundle",
        lines: ["+33123456789"],
        facts: {
          monthlyPriceCents: 4499,
          currency: "EUR",
          startDate: "2026-03-13",
          commitmentMonths: 24,
          tacitlyRenewed: false,
          subsidisedDeviceValueCents: 0,
          depositCents: 0,
          prepaidThrough: null,
          creditBalanceCents: 0,
          withdrawalPeriodEnds: null,
        },
        equipment: [
          {
            id: "eq-box",
            kind: "box",
            model: "Nébula Box 8",
            mustReturn: true,
            nonReturnChargeCents: 15000,
            depositCents: 4900,
            currency: "EUR",
          },
        ],
      },
    ],
    endDate: { kind: "earliest" },
    legitimateReason: false,
  });
}

function letterData(
  jurisdiction: Jurisdiction,
  language: Lang,
  options: {
    fee?: FeeComputation;
    terminationType?: TerminationLetterData["terminationType"];
  } = {},
): TerminationLetterData {
  const summary = frenchSummary();
  const [contract] = summary.contracts;
  if (!contract) throw new Error("the fixture has one contract");
  const fee = options.fee ?? contract.fee;
  const withFee: CancellationSummary = {
    ...summary,
    contracts: [{ ...contract, fee }],
    feeTotalCents: fee.totalCents,
  };
  return {
    language,
    jurisdiction,
    documentKey: `termination_letter:${jurisdiction}:${language}`,
    operator: OPERATOR[jurisdiction],
    subscriber: {
      firstName: "Camille",
      lastName: "Martin",
      customerNumber: "C-100001",
      addressLines: ["8 rue de la Roquette", "75011 Paris"],
      email: "camille.martin@example.com",
    },
    caseReference: "RX-7K3M-9QPD",
    receivedAt: "2026-11-23T09:15:30.000Z",
    effectiveEndDate: summary.endDate,
    terminationType: options.terminationType ?? "ordinary",
    legitimateReason: null,
    contracts: [
      { contractNumber: "CT-2026-000101", offerName: "Fibre 1 Gb/s + TV", lines: ["+33123456789"] },
    ],
    summary: withFee,
    legalBasis: LEGAL_BASIS[jurisdiction],
    caseLookupUrl: "https://exit.example/dossier",
  };
}

let fileCount = 0;
/** pdftotext -layout, runs of spaces collapsed and no-break spaces as plain ones. */
function pdfText(pdf: Buffer): string {
  fileCount += 1;
  const file = path.join(workDir, `letter-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync("/usr/bin/pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], {
    encoding: "utf8",
  })
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/[ \t]+/g, " ");
}

/** What pdftotext prints for a sentence (see pdfText). */
const printed = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

/** The values every email may use (send-email.server.ts, the return and win-back values). */
const EMAIL_VALUES: Record<string, string> = {
  operatorName: "Nébula",
  operatorLegalName: "Nébula Telecomunicações, S.A.",
  operatorAddress: "Avenida da Liberdade 110, 1250-146 Lisboa",
  registrationNumber: "NIPC 509 876 543",
  supportEmail: "suporte@nebula-telecom.example",
  firstName: "Camille",
  lastName: "Martin",
  reference: "RX-7K3M-9QPD",
  receivedAt: "23/11/2026 09:15:30",
  withdrawnAt: "24/11/2026 09:00:00",
  contracts: "Fibre 1 Gb/s + TV (CT-2026-000101)",
  endDate: "03/12/2026",
  fees: "225,00 €",
  equipment: "Nébula Box 8.",
  refunds: "—",
  caseUrl: "https://exit.example/dossier/abc",
  reason: "—",
  cancelUrl: "https://exit.example/resilier",
  returnNumber: "RT-4B2C-8DFG",
  deadline: "02/01/2027",
  receivedItems: "– Nébula Box 8",
  returnState: "—",
  depositNote: "—",
  daysLeft: "7",
  items: "– Nébula TV 4K",
  chargeTotal: "90,00 €",
  chargedItems: "– Nébula TV 4K: 90,00 €",
  statement: "—",
  amount: "49,00 €",
  issuedOn: "05/01/2027",
  refundKind: "—",
  paymentReference: "VIR-2027-0001",
  agentName: "Inês",
  offerText: "—",
  stopUrl: "https://exit.example/contact/arret/abc",
};

/** Every sentence of a JSON file by its path (`acknowledgment.paragraphs.3`, `fees.total` …). */
function sentences(value: unknown, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === "string") found.set(prefix, value);
  else if (Array.isArray(value))
    value.forEach((item, index) => {
      for (const [key, text] of sentences(item, `${prefix}${index}`)) found.set(key, text);
    });
  else if (value !== null && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      const inner = item !== null && typeof item === "object" ? `${key}.` : key;
      for (const [path, text] of sentences(item, `${prefix}${inner}`)) found.set(path, text);
    }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The file a document is read from: its jurisdiction's, or the reference pack's (README). */
function fileOf(document: (typeof DOCUMENTS)[number], jurisdiction: Jurisdiction, lang: Lang) {
  const folder = JURISDICTION_SPECIFIC.has(document) ? jurisdiction.toLowerCase() : "fr";
  return path.join(TEMPLATES_DIR, folder, `${document}.${lang}.json`);
}

/**
 * Sentences that may equal the English one: the same word in both languages, or a technical
 * name. Sentences made only of placeholders and punctuation are allowed without being listed.
 */
const SAME_AS_ENGLISH: Record<string, readonly string[]> = {
  // French: "Type", "Effective" (la résiliation est effective), "Document(s)" are French words.
  "evidence-summary.fr": [
    "case.type",
    "status.effective",
    "documents.heading",
    "documents.column.file",
    "documents.column.sha256",
  ],
};

describe.each(JURISDICTIONS)("the %s templates", (jurisdiction) => {
  describe.each(LANGUAGES)("in %s", (lang) => {
    it("load, with every sentence and only known keys and placeholders", () => {
      const letter = loadLetterTemplate(jurisdiction, lang);
      expect(Object.keys(letter).sort()).toEqual(Object.keys(LETTER_SENTENCES).sort());
      expect(
        loadEmailTemplates(jurisdiction, lang).acknowledgment_withdrawal.paragraphs.length,
      ).toBeGreaterThan(2);
      expect(loadReturnLabelTemplate(jurisdiction, lang)["document.title"].length).toBeGreaterThan(
        2,
      );
      expect(
        loadEvidenceSummaryTemplate(jurisdiction, lang)["document.title"].length,
      ).toBeGreaterThan(2);
    });

    it("render a termination letter PDF in the language", async () => {
      const data = letterData(jurisdiction, lang);
      const t = loadLetterTemplate(jurisdiction, lang);
      const text = pdfText(await renderTerminationLetter(data));
      for (const key of [
        "document.title",
        "fees.heading",
        "equipment.heading",
        "refunds.heading",
        "withdraw.heading",
        "legal.heading",
        "contact.heading",
        "closing.regards",
      ] as const) {
        expect(text, key).toContain(printed(t[key]));
      }
      expect(text).toContain(printed(t["intro.salutation"].replace("{name}", "Camille Martin")));
      expect(text).toContain(printed(t["type.ordinary"]));
    });

    it("render every email", () => {
      const templates = loadEmailTemplates(jurisdiction, lang);
      for (const kind of EMAIL_MESSAGE_KEYS) {
        const email = renderEmail(templates, kind, EMAIL_VALUES, lang);
        expect(email.subject.length, kind).toBeGreaterThan(5);
        expect(email.text, kind).toContain("Camille Martin");
        expect(email.html, kind).toContain(`lang="${lang}"`);
      }
    });

    it("use, in each email sentence, only the placeholders of the English reference", () => {
      const reference = sentences(readJson(path.join(TEMPLATES_DIR, "fr", "emails.en.json")));
      const own = sentences(readJson(fileOf("emails", jurisdiction, lang)));
      for (const [key, text] of own) {
        const allowed = placeholders(reference.get(key) ?? "");
        // A message may have more paragraphs than the reference: any of the message's own.
        const message = key.split(".")[0] ?? "";
        const inMessage = [...reference]
          .filter(([other]) => other.startsWith(`${message}.`))
          .flatMap(([, sentence]) => placeholders(sentence));
        for (const name of placeholders(text)) {
          expect([...allowed, ...inMessage], `${key}: {${name}}`).toContain(name);
        }
      }
    });
  });

  describe.each(NON_ENGLISH)("in %s", (lang) => {
    it.each(DOCUMENTS)("translate every sentence of the %s", (document) => {
      const english = sentences(readJson(fileOf(document, jurisdiction, "en")));
      const own = sentences(readJson(fileOf(document, jurisdiction, lang)));
      const allowed = SAME_AS_ENGLISH[`${document}.${lang}`] ?? [];
      const untranslated = [...own]
        .filter(([key, text]) => english.get(key) === text && !allowed.includes(key))
        // Placeholders, digits and punctuation only ("{page}/{pages}", "– {item}: {amount}").
        .filter(([, text]) => /\p{L}/u.test(text.replace(/\{\w+\}/g, "")))
        .map(([key]) => key);
      expect(untranslated).toEqual([]);
    });
  });
});

describe("wording that depends on the case", () => {
  it("titles a withdrawal from the contract as such, and says when payments come back", async () => {
    for (const [jurisdiction, lang] of [
      ["FR", "fr"],
      ["DE", "de"],
      ["PT", "en"],
    ] as const) {
      const t = loadLetterTemplate(jurisdiction, lang);
      const fee: FeeComputation = {
        totalCents: 0,
        currency: "EUR",
        lines: [],
        waiver: "withdrawal",
        remainingFeesCents: 0,
        commitmentEndDate: null,
      };
      const data = letterData(jurisdiction, lang, { fee, terminationType: "withdrawal" });
      const text = pdfText(await renderTerminationLetter(data));
      expect(text).toContain(printed(t["document.titleWithdrawal"]));
      expect(text).not.toContain(printed(t["document.title"]));
      expect(text).toContain(printed(t["type.withdrawal"]));
      expect(text).toContain(printed(t["withdrawal.heading"]));
      expect(text).toContain(printed(t["fees.waiver.withdrawal"]));
      // Nothing left to take back: the contract ended on receipt.
      expect(text).not.toContain(printed(t["withdraw.heading"]));
    }
  });

  it("prints the lower-of rule and the pro-rata computation under a Portuguese fee table", async () => {
    const t = loadLetterTemplate("PT", "pt");
    const text = pdfText(await renderTerminationLetter(letterData("PT", "pt", { fee: LOWER_OF })));
    // The sentence may wrap: compare its words with the line breaks as spaces.
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain(printed(t["fees.lowerOf"]).replace(/\s+/g, " "));
    expect(flat).toContain("Lei n.º 16/2022");
    expect(flat).toContain("× 18 mês(es) / 24 mês(es)");
    expect(flat).toContain(printed(t["fees.line.remaining_fees_share"]));
    expect(flat).toContain("225,00");
  });

  it("leaves the lower-of sentence out of a French fee table (a sum)", async () => {
    const t = loadLetterTemplate("FR", "fr");
    const text = pdfText(await renderTerminationLetter(letterData("FR", "fr")));
    expect(text).not.toContain(printed(t["fees.lowerOf"]));
  });
});

describe("the loaders", () => {
  const pt: LetterTemplate = loadLetterTemplate("PT", "pt");

  it("reject a missing sentence, an unknown key and an unknown placeholder in the new files", () => {
    const { ["fees.lowerOf"]: _removed, ...missing } = pt;
    expect(() => parseLetterTemplate(missing, letterTemplatePath("PT", "pt"))).toThrow(
      /pt\/termination-letter\.pt\.json: "fees\.lowerOf": missing sentence/,
    );
    expect(() => parseLetterTemplate({ ...pt, "fees.lowerof": "x" }, "x.json")).toThrow(
      LetterTemplateError,
    );
    expect(() =>
      parseLetterTemplate({ ...pt, "withdrawal.refunds": "Em {dias} dias." }, "x.json"),
    ).toThrow(/"withdrawal\.refunds": unknown placeholder \{dias\}/);
  });

  it("read the return label of a jurisdiction without its own file from the reference pack", () => {
    expect(loadReturnLabelTemplate("DE", "de")).toEqual(loadReturnLabelTemplate("FR", "de"));
    expect(loadEvidenceSummaryTemplate("PT", "pt")).toEqual(
      loadEvidenceSummaryTemplate("FR", "pt"),
    );
    // The fallback is for missing files only: a jurisdiction's own file would win.
    expect(returnLabelTemplatePath("DE", "de")).toContain(`${path.sep}de${path.sep}`);
  });
});
