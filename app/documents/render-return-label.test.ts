import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LetterTemplateError } from "./letter-template";
import {
  renderReturnLabel,
  RETURN_LABEL_CONTENT_TYPE,
  returnLabelFileName,
} from "./render-return-label";
import type { ReturnLabelData } from "./return-label-data";
import {
  loadReturnLabelTemplate,
  parseReturnLabelTemplate,
  returnLabelTemplatePath,
} from "./return-label-template";

// Real PDFs checked with real tools: poppler-utils for the text and the page image, zbar for the
// barcodes, as a reader, a printer and a warehouse scanner would see them.

function labelData(overrides: Partial<ReturnLabelData> = {}): ReturnLabelData {
  return {
    jurisdiction: "FR",
    language: "fr",
    returnNumber: "RT-7K3M-9QPD",
    caseReference: "RX-4B2C-8DFG",
    createdAt: "2026-12-01T08:30:00.000Z",
    deadline: "2026-12-31",
    operator: {
      legalName: "Nébula Télécom SAS",
      displayName: "Nébula",
      registrationNumber: "RCS Paris 912 345 678",
      supportEmail: "retours@nebula-telecom.example",
    },
    returnAddressLines: [
      "Nébula Télécom — Service retours",
      "4 allée des Entrepôts",
      "93200 Saint-Denis",
    ],
    sender: { name: "Camille Martin", addressLines: ["8 rue de la Roquette", "75011 Paris"] },
    items: [
      { kind: "box", model: "Nébula Box 8", serial: "NB8-00424242" },
      { kind: "tv_decoder", model: "Nébula TV 4K", serial: null },
      { kind: "remote", model: "Télécommande vocale V2", serial: null },
    ],
    ...overrides,
  };
}

const workDir = mkdtempSync(path.join(tmpdir(), "return-label-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function pdfFile(pdf: Buffer): string {
  fileCount += 1;
  const file = path.join(workDir, `label-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** Runs a tool from poppler-utils or zbar-tools; a missing one fails the test, by name. */
function run(tool: string, args: string[]): string {
  const executable = `/usr/bin/${tool}`;
  if (!existsSync(executable)) {
    throw new Error(
      `${executable} is missing: install ${tool === "zbarimg" ? "zbar-tools" : "poppler-utils"}`,
    );
  }
  // stderr is kept (zbarimg chats about D-Bus there) and shows in the error if the tool fails.
  return execFileSync(executable, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * pdftotext -layout, with runs of spaces collapsed. poppler prints the no-break spaces of French
 * typography (U+00A0, U+202F) as plain spaces.
 */
function pdfText(pdf: Buffer): string {
  return run("pdftotext", ["-layout", "-enc", "UTF-8", pdfFile(pdf), "-"]).replace(/[ \t]+/g, " ");
}

/** Page 1 as a 200 dpi PNG, as an office printer would print it. */
function pageImage(pdf: Buffer): string {
  const file = pdfFile(pdf);
  const prefix = file.replace(/\.pdf$/, "-page");
  run("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", file, prefix]);
  // pdftoppm numbers the image after the page, zero-padded to the number of pages: -1, -01 …
  const name = new RegExp(`^${path.basename(prefix)}-0*1\\.png$`);
  const png = readdirSync(workDir).find((entry) => name.test(entry));
  if (!png) throw new Error(`pdftoppm wrote no image for ${file}`);
  return path.join(workDir, png);
}

/** What zbarimg reads in an image: one `TYPE:data` per symbol found, exactly. */
function scan(png: string): string[] {
  return run("zbarimg", ["--quiet", png])
    .split("\n")
    .filter((line) => line !== "");
}

/** The lines of the items list: each starts with its check box (U+2610). */
function checkboxLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("☐"));
}

describe("renderReturnLabel", () => {
  it("renders byte-identical PDFs for the same data, and different ones for another return", async () => {
    const first = await renderReturnLabel(labelData());
    const second = await renderReturnLabel(labelData());
    const other = await renderReturnLabel(labelData({ returnNumber: "RT-8BCD-2FGH" }));
    expect(first.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    expect(first.equals(second)).toBe(true);
    expect(first.equals(other)).toBe(false);
    const info = run("pdfinfo", ["-isodates", pdfFile(first)]);
    expect(info).toMatch(/CreationDate:\s+2026-12-01T08:30:00Z/);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
  });

  it("prints the label and the packing slip in French", async () => {
    const data = labelData();
    const text = pdfText(await renderReturnLabel(data));
    for (const expected of [
      "Étiquette de retour — Nébula",
      "DESTINATAIRE",
      "EXPÉDITEUR",
      "Bordereau de retour",
      "RT-7K3M-9QPD",
      "RX-4B2C-8DFG",
      "31 décembre 2026",
      "Nébula Box 8",
      "N° de série : NB8-00424242",
      "Nébula TV 4K",
      "Télécommande vocale V2",
      ...data.returnAddressLines,
      "Camille Martin",
      ...data.sender.addressLines,
      "Conservez le reçu du transporteur",
      "Ne renvoyez pas votre carte SIM",
      "Nébula Télécom SAS — RCS Paris 912 345 678",
      "retours@nebula-telecom.example",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("31 December 2026");
  });

  it("prints the English label from the English template", async () => {
    const text = pdfText(await renderReturnLabel(labelData({ language: "en" })));
    for (const expected of [
      "Return label — Nébula",
      "TO",
      "FROM",
      "RETURN NUMBER",
      "Packing slip",
      "Put in the parcel",
      "31 December 2026",
      "Internet box — Nébula Box 8",
      "Serial number: NB8-00424242",
      "Keep the carrier’s receipt",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Bordereau de retour");
    expect(text).not.toContain("décembre");
  });

  it("draws a Code 128 and a QR code of the exact return number that a scanner reads", async () => {
    const returnNumber = "RT-7K3M-9QPD";
    const png = pageImage(await renderReturnLabel(labelData({ returnNumber })));
    const scanned = scan(png);
    expect(scanned).toContain(`CODE-128:${returnNumber}`);
    expect(scanned).toContain(`QR-Code:${returnNumber}`);
    // Another number gives other codes: the barcodes are not a fixed picture.
    const otherPng = pageImage(
      await renderReturnLabel(labelData({ returnNumber: "RT-8BCD-2FGH" })),
    );
    const other = scan(otherPng);
    expect(other).toContain("CODE-128:RT-8BCD-2FGH");
    expect(other).toContain("QR-Code:RT-8BCD-2FGH");
  });

  it("lists each item passed with a check box, and only those", async () => {
    const lines = checkboxLines(pdfText(await renderReturnLabel(labelData())));
    expect(lines).toEqual([
      "☐ Box internet — Nébula Box 8",
      "☐ Décodeur TV — Nébula TV 4K",
      "☐ Télécommande — Télécommande vocale V2",
    ]);
    expect(lines.some((line) => /SIM/i.test(line))).toBe(false);

    const one = labelData({ items: [{ kind: "powerline", model: "CPL 1000", serial: "P-1" }] });
    expect(checkboxLines(pdfText(await renderReturnLabel(one)))).toEqual([
      "☐ Adaptateurs CPL — CPL 1000",
    ]);
  });

  it("refuses a label without items and a bad creation instant", async () => {
    await expect(renderReturnLabel(labelData({ items: [] }))).rejects.toThrow(/at least one item/);
    await expect(renderReturnLabel(labelData({ createdAt: "yesterday" }))).rejects.toThrow(
      /bad createdAt/,
    );
  });
});

describe("returnLabelFileName", () => {
  it("is readable, ASCII-safe and in the label's language", () => {
    expect(returnLabelFileName(labelData())).toBe("etiquette-retour-RT-7K3M-9QPD.pdf");
    expect(returnLabelFileName(labelData({ language: "en" }))).toBe(
      "return-label-RT-7K3M-9QPD.pdf",
    );
    expect(RETURN_LABEL_CONTENT_TYPE).toBe("application/pdf");
  });
});

describe("return label templates", () => {
  it("loads both shipped languages, with French typography", () => {
    const fr = loadReturnLabelTemplate("FR", "fr");
    expect(fr["slip.title"]).toBe("Bordereau de retour");
    expect(loadReturnLabelTemplate("FR", "en")["slip.title"]).toBe("Packing slip");
    // A narrow no-break space before ; : ! ? and none of the ordinary spaces there.
    for (const [key, sentence] of Object.entries(fr)) {
      expect(sentence, key).not.toMatch(/[ \u00a0][;:!?]/);
    }
    expect(fr["instructions.receipt"]).toContain("\u202f:");
  });

  it("names a missing sentence, an unknown key and an unknown placeholder", () => {
    const shipped = loadReturnLabelTemplate("FR", "fr");
    const { ["kind.box"]: _removed, ...missing } = shipped;
    expect(() => parseReturnLabelTemplate(missing, "test.json")).toThrow(LetterTemplateError);
    expect(() => parseReturnLabelTemplate(missing, "test.json")).toThrow(
      /test\.json: "kind\.box": missing sentence/,
    );
    expect(() => parseReturnLabelTemplate({ ...shipped, "kind.bx": "x" }, "test.json")).toThrow(
      /"kind\.bx": unknown sentence/,
    );
    expect(() =>
      parseReturnLabelTemplate({ ...shipped, "slip.serial": "N° {serail}" }, "test.json"),
    ).toThrow(/"slip\.serial": unknown placeholder \{serail\}/);
  });

  it("reports a broken template file with the file's path", () => {
    const dir = mkdtempSync(path.join(workDir, "templates-"));
    const file = returnLabelTemplatePath("FR", "fr", dir);
    const { ["footer.contact"]: _removed, ...rest } = loadReturnLabelTemplate("FR", "fr");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(rest));
    expect(() => loadReturnLabelTemplate("FR", "fr", dir)).toThrow(
      `${file}: "footer.contact": missing sentence`,
    );
  });
});
