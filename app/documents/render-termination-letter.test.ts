import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { summariseCancellation, type ContractToCancel } from "../domain/cancellation-summary";
import { fr } from "../domain/jurisdictions/fr";
import type { OperatorPolicy } from "../domain/jurisdictions/types";
import { letterFonts } from "./fonts";
import {
  LetterTemplateError,
  loadLetterTemplate,
  parseLetterTemplate,
  letterTemplatePath,
} from "./letter-template";
import {
  renderTerminationLetter,
  TERMINATION_LETTER_CONTENT_TYPE,
  terminationLetterFileName,
} from "./render-termination-letter";
import type { TerminationLetterData } from "./termination-letter-data";

// Real PDFs checked with real tools (poppler-utils): text, fonts and metadata as a reader and a
// PDF/A validator would see them.

const RECEIVED_AT = "2026-11-23T09:15:30.000Z";
const POLICY: OperatorPolicy = {
  returnDeadlineDays: 30,
  returnMethods: ["relay_point", "post_office", "shop", "courier_pickup"],
};

/** Camille Martin's fibre + TV bundle, 24-month commitment started on 13 March 2026. */
function camilleContract(options: { boxDepositCents?: number } = {}): ContractToCancel {
  return {
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
        depositCents: options.boxDepositCents ?? 0,
        currency: "EUR",
      },
      {
        id: "eq-tv",
        kind: "tv_decoder",
        model: "Nébula TV 4K",
        mustReturn: true,
        nonReturnChargeCents: 10000,
        depositCents: 0,
        currency: "EUR",
      },
    ],
  };
}

function letterData(
  options: {
    language?: "fr" | "en";
    documentKey?: string;
    legitimateReason?: string;
    boxDepositCents?: number;
  } = {},
): TerminationLetterData {
  const summary = summariseCancellation({
    pack: fr,
    policy: POLICY,
    receivedAt: new Date(RECEIVED_AT),
    contracts: [camilleContract(options)],
    endDate: { kind: "earliest" },
    legitimateReason: options.legitimateReason !== undefined,
  });
  return {
    language: options.language ?? "fr",
    jurisdiction: "FR",
    documentKey: options.documentKey ?? "termination_letter:case-0001",
    operator: {
      legalName: "Nébula Télécom SAS",
      addressLines: ["12 rue des Étoiles", "75011 Paris"],
      registrationNumber: "RCS Paris 912 345 678",
      vatNumber: "FR32912345678",
      supportEmail: "resiliation@nebula-telecom.example",
      supportPhone: "+33 9 70 00 00 00",
      returnAddress: "Nébula Télécom — Service retours, 4 allée des Entrepôts, 93200 Saint-Denis",
      timeZone: "Europe/Paris",
    },
    subscriber: {
      firstName: "Camille",
      lastName: "Martin",
      customerNumber: "C-100001",
      addressLines: ["8 rue de la Roquette", "75011 Paris"],
      email: "camille.martin@example.com",
    },
    caseReference: "RX-7K3M-9QPD",
    receivedAt: RECEIVED_AT,
    effectiveEndDate: summary.endDate,
    terminationType: options.legitimateReason ? "legitimate_reason" : "ordinary",
    legitimateReason: options.legitimateReason ?? null,
    contracts: [
      {
        contractNumber: "CT-2026-000101",
        offerName: "Fibre 1 Gb/s + TV",
        lines: ["+33123456789"],
      },
    ],
    summary,
    legalBasis: [...fr.legalBasis],
    caseLookupUrl: "https://resilier.nebula-telecom.example/dossier",
  };
}

const money = (cents: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(cents / 100);

const workDir = mkdtempSync(path.join(tmpdir(), "letter-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function poppler(tool: "pdftotext" | "pdffonts" | "pdfinfo", pdf: Buffer, args: string[]): string {
  fileCount += 1;
  const file = path.join(workDir, `letter-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  const output = tool === "pdftotext" ? [file, "-"] : [file];
  return execFileSync(`/usr/bin/${tool}`, [...args, ...output], { encoding: "utf8" });
}

/**
 * pdftotext -layout, with runs of spaces collapsed (table columns are padded with spaces).
 * poppler prints the no-break spaces of French typography (U+00A0, U+202F) as plain spaces.
 */
function pdfText(pdf: Buffer): string {
  return poppler("pdftotext", pdf, ["-layout", "-enc", "UTF-8"]).replace(/[ \t]+/g, " ");
}

/** What pdftotext prints for a string formatted with Intl (see pdfText). */
function printed(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, " ");
}

function expectToContainAll(text: string, expected: string[]): void {
  for (const item of expected) expect(text).toContain(printed(item));
}

/** The decompressed streams of a PDF (pdfkit compresses each with Flate). */
function pdfStreams(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const streams: string[] = [];
  for (const match of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    try {
      streams.push(inflateSync(Buffer.from(match[1] ?? "", "latin1")).toString("latin1"));
    } catch {
      // Not every stream is compressed (the XMP metadata is not).
    }
  }
  return streams;
}

describe("the fixture", () => {
  it("is the case the issue describes", () => {
    const { summary } = letterData();
    expect(summary.endDate).toBe("2026-12-03");
    expect(summary.returnDeadline).toBe("2027-01-02");
    expect(summary.refunds).toEqual([]);
    expect(summary.contracts[0]?.fee.lines).toMatchObject([
      { kind: "months_to_twelve", months: 3, days: 10, monthlyCents: 4499, sharePercent: 100 },
      { kind: "share_after_twelve", sharePercent: 0, amountCents: 0 },
    ]);
  });
});

describe("renderTerminationLetter", () => {
  it("renders byte-identical PDFs for the same data, and different ones for another document key", async () => {
    const first = await renderTerminationLetter(letterData());
    const second = await renderTerminationLetter(letterData());
    const other = await renderTerminationLetter(
      letterData({ documentKey: "termination_letter:case-0002" }),
    );
    expect(first.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    expect(first.equals(second)).toBe(true);
    expect(first.equals(other)).toBe(false);
    // The file ID is the MD5 of the document key; the dates are the receipt time.
    const id = createHash("md5").update("termination_letter:case-0001").digest("hex");
    expect(first.toString("latin1")).toContain(`/ID [<${id}> <${id}>]`);
    const info = poppler("pdfinfo", first, ["-isodates"]);
    expect(info).toMatch(/CreationDate:\s+2026-11-23T09:15:30Z/);
    expect(info).toMatch(/ModDate:\s+2026-11-23T09:15:30Z/);
  });

  it("prints the acknowledgment in French: parties, receipt time, end date, fees, equipment", async () => {
    const data = letterData();
    const text = pdfText(await renderTerminationLetter(data));
    expectToContainAll(text, [
      "Accusé de réception de votre résiliation",
      "Nébula Télécom SAS",
      "RCS Paris 912 345 678",
      "Camille Martin",
      "C-100001",
      "RX-7K3M-9QPD",
      "CT-2026-000101",
      "01 23 45 67 89",
      // 09:15:30 UTC is 10:15:30 in Paris in November, to the second with its offset.
      "23 novembre 2026 à 10:15:30 UTC+1",
      "3 décembre 2026",
      "Résiliation ordinaire",
      "3 mois et 10 jour(s) × 44,99",
      money(data.summary.feeTotalCents, "fr-FR"),
      "Box internet (Nébula Box 8)",
      "Décodeur TV (Nébula TV 4K)",
      money(15000, "fr-FR"),
      "2 janvier 2027",
      "point relais",
      "Saint-Denis",
      "Aucun remboursement prévu.",
      "L224-28",
      "2 décembre 2026", // the last day to withdraw online
      "https://resilier.nebula-telecom.example/dossier",
      "«",
      "€",
      "resiliation@nebula-telecom.example",
      "1/2",
      "2/2",
    ]);
    // The total is the sum of the printed lines: 3 months + 10 days of 44.99 €, 0 % after month 12.
    expect(data.summary.feeTotalCents).toBe(4499 * 3 + Math.round((4499 * 10) / 31));
  });

  it("has real glyphs for French typography in both fonts", () => {
    const fonts = letterFonts();
    // é è à ç ô É « » € ’ — × •, the no-break space and the narrow no-break space (U+202F).
    const needed = [
      0xe9, 0xe8, 0xe0, 0xe7, 0xf4, 0xc9, 0xab, 0xbb, 0x20ac, 0x2019, 0x2014, 0xd7, 0x2022, 0xa0,
      0x202f,
    ];
    for (const font of [fonts.regular, fonts.bold]) {
      expect(needed.filter((codePoint) => !font.hasGlyphForCodePoint(codePoint))).toEqual([]);
    }
  });

  it("prints French amounts with their narrow no-break space, mapped back to U+202F", async () => {
    const data = letterData();
    data.summary = { ...data.summary, nonReturnChargeTotalCents: 1_234_567_89 };
    const pdf = await renderTerminationLetter(data);
    const formatted = money(1_234_567_89, "fr-FR");
    expect(formatted).toBe("1\u202f234\u202f567,89\u00a0€");
    // In -layout mode poppler may drop a space as narrow as U+202F: compare without spaces.
    const squash = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, "");
    expect(squash(pdfText(pdf))).toContain(squash(formatted));
    expect(poppler("pdftotext", pdf, ["-raw", "-enc", "UTF-8"])).toContain(printed(formatted));
    // The embedded fonts' ToUnicode maps give both spaces back to text extraction and search.
    const toUnicode = pdfStreams(pdf).filter((stream) => stream.includes("beginbfrange"));
    expect(toUnicode).toHaveLength(2);
    for (const cmap of toUnicode) {
      expect(cmap).toContain("<202f>");
      expect(cmap).toContain("<00a0>");
    }
  });

  it("prints a legitimate reason, the fee waiver and a deposit refund with its legal deadline", async () => {
    const data = letterData({ legitimateReason: "moving_uncovered", boxDepositCents: 4900 });
    expect(data.summary.refunds).toHaveLength(1);
    const text = pdfText(await renderTerminationLetter(data));
    expectToContainAll(text, [
      "Résiliation pour motif légitime",
      "Déménagement dans une zone non couverte ou à l’étranger",
      "Aucun frais",
      "Dépôt de garantie",
      money(4900, "fr-FR"),
      "Au plus tard 10 jours après le retour du matériel",
    ]);
  });

  it("writes the English letter from the English template", async () => {
    const data = letterData({ language: "en" });
    const text = pdfText(await renderTerminationLetter(data));
    expectToContainAll(text, [
      "Acknowledgment of your cancellation",
      "23 November 2026 at 10:15:30 GMT+1",
      "3 December 2026",
      "Termination fees",
      "3 month(s) and 10 day(s) × €44.99",
      money(data.summary.feeTotalCents, "en-GB"),
      "Internet box (Nébula Box 8)",
      "Equipment to return",
      "No refund expected.",
      "Changed your mind?",
    ]);
    expect(text).not.toContain("Résiliation ordinaire");
  });

  it("embeds every font it uses", async () => {
    const fonts = poppler("pdffonts", await renderTerminationLetter(letterData()), []);
    const rows = fonts.trim().split("\n").slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      // Columns: name, type, encoding, emb, sub, uni, object, ID: "emb" is 5th from the end.
      const columns = row.trim().split(/\s+/);
      expect(columns.at(-5), row).toBe("yes");
    }
    expect(fonts).toContain("DejaVuSansCondensed");
    expect(fonts).toContain("DejaVuSansCondensed-Bold");
  });

  it("declares PDF/A-2b, its language, and a tagged structure", async () => {
    const pdf = await renderTerminationLetter(letterData());
    const meta = poppler("pdfinfo", pdf, ["-meta"]);
    expect(meta).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(meta).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(meta).toContain("<xmp:CreateDate>2026-11-23T09:15:30Z</xmp:CreateDate>");
    const info = poppler("pdfinfo", pdf, []);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Pages:\s+2/);
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    const raw = pdf.toString("latin1");
    expect(raw).toContain("/Lang (fr-FR)");
    for (const tag of [
      "/S /Document",
      "/S /H1",
      "/S /H2",
      "/S /P",
      "/S /Table",
      "/S /TD",
      "/S /L",
    ]) {
      expect(raw).toContain(tag);
    }
  });
});

describe("terminationLetterFileName", () => {
  it("is readable, ASCII-safe and in the letter's language", () => {
    expect(terminationLetterFileName(letterData())).toBe("lettre-de-resiliation-RX-7K3M-9QPD.pdf");
    expect(terminationLetterFileName(letterData({ language: "en" }))).toBe(
      "termination-letter-RX-7K3M-9QPD.pdf",
    );
    expect(TERMINATION_LETTER_CONTENT_TYPE).toBe("application/pdf");
  });
});

describe("letter templates", () => {
  it("loads both shipped languages", () => {
    expect(loadLetterTemplate("FR", "fr")["document.title"]).toBe(
      "Accusé de réception de votre résiliation",
    );
    expect(loadLetterTemplate("FR", "en")["document.title"]).toBe(
      "Acknowledgment of your cancellation",
    );
  });

  it("names a missing sentence, an unknown key and an unknown placeholder", () => {
    const shipped = loadLetterTemplate("FR", "fr");
    const { ["fees.total"]: _removed, ...missing } = shipped;
    expect(() => parseLetterTemplate(missing, "test.json")).toThrow(LetterTemplateError);
    expect(() => parseLetterTemplate(missing, "test.json")).toThrow(
      /test\.json: "fees\.total": missing sentence/,
    );
    expect(() => parseLetterTemplate({ ...shipped, "fees.totl": "x" }, "test.json")).toThrow(
      /"fees\.totl": unknown sentence/,
    );
    expect(() =>
      parseLetterTemplate({ ...shipped, "equipment.deadline": "Avant le {dat}." }, "test.json"),
    ).toThrow(/"equipment\.deadline": unknown placeholder \{dat\}/);
  });

  it("reports a missing key in a template file with the file's path", () => {
    const dir = mkdtempSync(path.join(workDir, "templates-"));
    const file = letterTemplatePath("FR", "fr", dir);
    const { ["withdraw.body"]: _removed, ...rest } = loadLetterTemplate("FR", "fr");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(rest));
    expect(() => loadLetterTemplate("FR", "fr", dir)).toThrow(
      `${file}: "withdraw.body": missing sentence`,
    );
  });
});
