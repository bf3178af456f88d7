import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inclusionProof, leafHash, merkleRoot, sortHeads, type ChainHead } from "../audit/merkle";
import type { EvidenceSummaryData } from "./evidence-summary-data";
import {
  CASE_CHAIN_EVENT_TYPES,
  loadEvidenceSummaryTemplate,
  parseEvidenceSummaryTemplate,
} from "./evidence-summary-template";
import { LetterTemplateError } from "./letter-template";
import { renderEvidenceSummary } from "./render-evidence-summary";

// The evidence summary checked with real tools (poppler-utils), as a reader and a PDF/A
// validator would see it: metadata, embedded fonts, the text of every event and hash.

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const STREAM = "case:0b7c3c1e-8d2f-4a57-9b1e-2c4d5e6f7a8b";

/** A checkpoint over this case's chain and three others, with the case's real proof. */
function checkpointOver(head: ChainHead) {
  const heads = sortHeads([
    head,
    { stream: "case:11111111-1111-4111-8111-111111111111", seq: 4, hash: sha("a") },
    { stream: "staff:22222222-2222-4222-8222-222222222222", seq: 9, hash: sha("b") },
    { stream: "system", seq: 1, hash: sha("c") },
  ]);
  const index = heads.findIndex((candidate) => candidate.stream === head.stream);
  return { root: merkleRoot(heads), proof: inclusionProof(heads, index) };
}

const EVENT_TYPES = [
  "case.identified",
  "case.summary_shown",
  "case.notified",
  "return.created",
  "refund.updated",
  "document.created",
  "email.attempted",
  "document.created",
  "case.viewed",
  "evidence.downloaded",
];

function summaryData(overrides: Partial<EvidenceSummaryData> = {}): EvidenceSummaryData {
  const events = EVENT_TYPES.map((type, index) => ({
    seq: index + 1,
    occurredAt: new Date(Date.UTC(2026, 10, 23, 23, 28 + index, 5)).toISOString(),
    type,
    actorType: index < 5 ? "subscriber" : type === "case.viewed" ? "staff" : "system",
    hash: sha(`event ${index + 1}`),
  }));
  const covered = { stream: STREAM, seq: 9, hash: events[8]!.hash };
  const { root, proof } = checkpointOver(covered);
  return {
    jurisdiction: "FR",
    language: "fr",
    documentKey: "0b7c3c1e-8d2f-4a57-9b1e-2c4d5e6f7a8b:evidence_summary:2026-11-24T08:00:00.000Z",
    generatedAt: "2026-11-24T08:00:00.000Z",
    requestedBy: "staff",
    operator: { legalName: "Nébula Télécom SAS", timeZone: "Europe/Paris" },
    case: {
      reference: "RX-7K3M-9QPD",
      stream: STREAM,
      receivedAt: "2026-11-23T23:30:00.000Z",
      effectiveEndDate: "2026-12-04",
      status: "received",
      terminationType: "ordinary",
      withdrawnAt: null,
      contracts: [{ offerName: "Fibre 1 Gb/s + TV", contractNumber: "CT-2026-000101" }],
    },
    events,
    documents: [
      {
        kind: "termination_letter",
        path: "documents/lettre-de-resiliation-RX-7K3M-9QPD.pdf",
        createdAt: "2026-11-23T23:30:00.000Z",
        sizeBytes: 37_770,
        sha256: sha("letter"),
        purgedAt: null,
      },
      {
        kind: "return_label",
        path: "documents/etiquette-retour-RT-4B2C-8DFG.pdf",
        createdAt: "2026-11-23T23:31:00.000Z",
        sizeBytes: 21_004,
        sha256: sha("label"),
        purgedAt: null,
      },
    ],
    emails: [
      {
        kind: "acknowledgment",
        recipient: "c•••@example.com",
        status: "sent",
        smtpMessageId: "<3f2a9c1e@nebula-telecom.example>",
        sentAt: "2026-11-23T23:30:07.000Z",
      },
    ],
    head: { seq: 10, hash: events[9]!.hash },
    checkpoint: {
      id: 42,
      takenAt: "2026-11-24T07:05:00.000Z",
      root,
      keyId: "3fa9c2d1e0b4a7f6",
      signature: Buffer.alloc(64, 7).toString("base64"),
      covered: { seq: covered.seq, hash: covered.hash, proof },
    },
    publicKeysUrl: "https://resilier.nebula-telecom.example/.well-known/easy-exit/audit-keys.json",
    ...overrides,
  };
}

const workDir = mkdtempSync(path.join(tmpdir(), "evidence-summary-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let fileCount = 0;
function poppler(tool: "pdftotext" | "pdffonts" | "pdfinfo", pdf: Buffer, args: string[]): string {
  fileCount += 1;
  const file = path.join(workDir, `summary-${fileCount}.pdf`);
  writeFileSync(file, pdf);
  const output = tool === "pdftotext" ? [file, "-"] : [file];
  return execFileSync(`/usr/bin/${tool}`, [...args, ...output], { encoding: "utf8" });
}

/** pdftotext -layout, runs of spaces collapsed; poppler prints U+00A0 and U+202F as spaces. */
function pdfText(pdf: Buffer): string {
  return poppler("pdftotext", pdf, ["-layout", "-enc", "UTF-8"]).replace(/[ \t]+/g, " ");
}

/** The text in reading order with every run of white space (line ends too) one space. */
function flatText(pdf: Buffer): string {
  return poppler("pdftotext", pdf, ["-enc", "UTF-8"]).replace(/\s+/g, " ");
}

describe("renderEvidenceSummary", () => {
  it("renders byte-identical PDFs for the same data, and different ones for another pack", async () => {
    const first = await renderEvidenceSummary(summaryData());
    const second = await renderEvidenceSummary(summaryData());
    const later = await renderEvidenceSummary(
      summaryData({
        generatedAt: "2026-11-24T09:00:00.000Z",
        documentKey: "0b7c3c1e:evidence_summary:2026-11-24T09:00:00.000Z",
      }),
    );
    expect(first.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    expect(first.equals(second)).toBe(true);
    expect(first.equals(later)).toBe(false);
  });

  it("declares PDF/A-2b, its language and a tagged A4 structure, dated when the pack was made", async () => {
    const pdf = await renderEvidenceSummary(summaryData());
    const meta = poppler("pdfinfo", pdf, ["-meta"]);
    expect(meta).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(meta).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(meta).toContain("<xmp:CreateDate>2026-11-24T08:00:00Z</xmp:CreateDate>");
    expect(meta).toContain("<xmp:ModifyDate>2026-11-24T08:00:00Z</xmp:ModifyDate>");
    const info = poppler("pdfinfo", pdf, ["-isodates"]);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(/Title:\s+Dossier de preuves — RX-7K3M-9QPD/);
    expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    const raw = pdf.toString("latin1");
    expect(raw).toContain("/Lang (fr-FR)");
    for (const tag of ["/S /Document", "/S /H1", "/S /H2", "/S /Table", "/S /TH", "/S /TD"]) {
      expect(raw).toContain(tag);
    }
  });

  it("embeds every font it uses", async () => {
    const fonts = poppler("pdffonts", await renderEvidenceSummary(summaryData()), []);
    const rows = fonts.trim().split("\n").slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      // Columns: name, type, encoding, emb, sub, uni, object, ID: "emb" is 5th from the end.
      expect(row.trim().split(/\s+/).at(-5), row).toBe("yes");
    }
    expect(fonts).toContain("DejaVuSansCondensed");
    expect(fonts).toContain("DejaVuSansCondensed-Bold");
  });

  it("prints the case, every event, the documents with their SHA-256 and the chain proof, in French", async () => {
    const data = summaryData();
    const pdf = await renderEvidenceSummary(data);
    const text = pdfText(pdf);
    const flat = flatText(pdf);
    for (const expected of [
      "Dossier de preuves — résiliation RX-7K3M-9QPD",
      "Établi le 24 novembre 2026 à 09:00:00 UTC+1 à la demande de l’équipe de Nébula Télécom SAS.",
      "Reçue le 24 novembre 2026 à 00:30:00 UTC+1",
      "Fin du contrat 4 décembre 2026",
      "Résiliation ordinaire",
      "Fibre 1 Gb/s + TV — contrat CT-2026-000101",
      "Chronologie du journal d’audit",
      `Les 10 événements de la chaîne ${STREAM}`,
      "Résiliation notifiée (réception légale)",
      "Retour du matériel prévu",
      "Dossier consulté par l’équipe",
      "Dossier de preuves téléchargé",
      "24/11/2026 00:30:05 UTC+1",
      "Lettre de résiliation",
      "Étiquette de retour",
      "Accusé de réception — Envoyé",
      "Destinataire : c•••@example.com",
      "Envoyé le 24/11/2026 00:30:07 UTC+1",
      "<3f2a9c1e@nebula-telecom.example>",
      "Preuve d’intégrité",
      "n° 42, établi le 24 novembre 2026 à 08:05:00 UTC+1",
      "3fa9c2d1e0b4a7f6",
      "1 événement(s) enregistré(s) après ce point de contrôle ; le suivant les couvrira.",
      "Comment vérifier",
      "publiée à cette adresse : https://resilier.nebula-telecom.example/.well-known/easy-exit/audit-keys.json",
      "node verify-audit-export.mjs events.jsonl --public-key audit-keys.json",
    ]) {
      expect(flat).toContain(expected);
    }
    // Every event, with its number and the start of its hash, on one line of the timeline.
    for (const event of data.events) {
      expect(text).toMatch(new RegExp(`\\n ?${event.seq} .*${event.hash.slice(0, 16)}`));
    }
    // Whole hashes, unbroken: documents, the chain's head, the checkpoint's root, every step.
    for (const document of data.documents) expect(text).toContain(document.sha256);
    expect(text).toContain(data.head.hash);
    expect(text).toContain(data.checkpoint!.root);
    expect(text).toContain(data.checkpoint!.covered!.hash);
    for (const step of data.checkpoint!.covered!.proof) expect(text).toContain(step.hash);
    expect(text).not.toContain("Evidence pack");
  });

  it("prints a proof that recomputes the signed root", () => {
    // The data the summary prints are the real proof: leaf, then each sibling on its side.
    const { checkpoint } = summaryData();
    const covered = checkpoint!.covered!;
    let hash = leafHash({ stream: STREAM, seq: covered.seq, hash: covered.hash });
    for (const step of covered.proof) {
      const sibling = Buffer.from(step.hash, "hex");
      const node = createHash("sha256").update(Buffer.from([1]));
      hash = (
        step.side === "L" ? node.update(sibling).update(hash) : node.update(hash).update(sibling)
      ).digest();
    }
    expect(hash.toString("hex")).toBe(checkpoint!.root);
  });

  it("writes the English summary from the English template, for the subscriber", async () => {
    const text = flatText(
      await renderEvidenceSummary(summaryData({ language: "en", requestedBy: "subscriber" })),
    );
    for (const expected of [
      "Evidence pack — cancellation RX-7K3M-9QPD",
      "at the request of the subscriber, from their personal case link",
      "Contract ends on 4 December 2026",
      "Cancellation notified (legal receipt)",
      "Audit trail timeline",
      "Integrity proof",
      "How to check",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Chronologie");
  });

  it("says when no checkpoint covers the case yet, and prints an unknown event type as its code", async () => {
    const data = summaryData();
    const noCheckpoint = pdfText(
      await renderEvidenceSummary(
        summaryData({
          checkpoint: null,
          events: [...data.events.slice(0, 9), { ...data.events[9]!, type: "case.reopened" }],
        }),
      ),
    );
    expect(noCheckpoint).toContain("Aucun point de contrôle n’a encore été signé.");
    expect(noCheckpoint).toContain("case.reopened");
    const notCovered = pdfText(
      await renderEvidenceSummary(
        summaryData({ checkpoint: { ...data.checkpoint!, covered: null } }),
      ),
    );
    expect(notCovered).toContain("Ce dossier est plus récent que le dernier point de contrôle");
  });

  it("lists a purged document by its hash, with when it was erased", async () => {
    const data = summaryData();
    const text = pdfText(
      await renderEvidenceSummary(
        summaryData({
          documents: [{ ...data.documents[0]!, path: null, purgedAt: "2031-11-24T02:00:00.000Z" }],
        }),
      ),
    );
    expect(text).toContain("Effacé le 24 novembre 2031");
    expect(text).toContain(data.documents[0]!.sha256);
  });
});

describe("evidence summary templates", () => {
  it("load in both languages, word every case event type, with French typography", () => {
    const fr = loadEvidenceSummaryTemplate("FR", "fr");
    const en = loadEvidenceSummaryTemplate("FR", "en");
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const type of CASE_CHAIN_EVENT_TYPES) expect(fr[`event.${type}`]).not.toBe("");
    for (const [key, sentence] of Object.entries(fr)) {
      expect(sentence, key).not.toMatch(/[ \u00a0][;:!?]/);
      expect(sentence, key).not.toContain("'");
    }
    expect(fr["proof.intro"]).toContain("\u202f:");
  });

  it("name a missing sentence, an unknown key and an unknown placeholder", () => {
    const shipped = loadEvidenceSummaryTemplate("FR", "fr");
    const { ["proof.root"]: _removed, ...missing } = shipped;
    expect(() => parseEvidenceSummaryTemplate(missing, "test.json")).toThrow(LetterTemplateError);
    expect(() => parseEvidenceSummaryTemplate(missing, "test.json")).toThrow(
      /test\.json: "proof\.root": missing sentence/,
    );
    expect(() =>
      parseEvidenceSummaryTemplate({ ...shipped, "proof.rot": "x" }, "test.json"),
    ).toThrow(/"proof\.rot": unknown sentence/);
    expect(() =>
      parseEvidenceSummaryTemplate({ ...shipped, "proof.link": "n° {sq}" }, "test.json"),
    ).toThrow(/"proof\.link": unknown placeholder \{sq\}/);
  });
});
