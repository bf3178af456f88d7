import { createArchivalPdf } from "./archival-pdf";
import type { EvidenceSummaryData } from "./evidence-summary-data";
import {
  evidenceSummaryTemplate,
  evidenceSummaryText,
  isPlainEvidenceSentence,
  type EvidenceSummaryText,
} from "./evidence-summary-template";
import { formats, type Formats } from "./pdf-formats";
import {
  COLOR,
  CONTENT_WIDTH,
  Layout,
  MARGIN,
  PAGE_WIDTH,
  type Block,
  type Column,
  type Row,
  type TextStyle,
  drawPageFooters,
} from "./pdf-layout";

// The evidence summary (summary.pdf of a case's evidence pack, issue #8): what happened and when,
// for a regulator, a court or the subscriber. A4, PDF/A-2b, tagged, with the letters' embedded
// font, in the case's language. It lists the case, every event of its audit chain, the documents
// with their SHA-256, the emails delivered, and the chain proof (the head, the signed checkpoint
// and the Merkle inclusion proof), with how to check them. Pure: data in, bytes out, and the same
// data gives the same bytes (dates and document ID pinned to the pack). Wording comes from
// templates/<jurisdiction>/evidence-summary.<language>.json; this file only lays it out.

export const EVIDENCE_SUMMARY_FILE_NAME = "summary.pdf";

const LOCALES: Record<EvidenceSummaryData["language"], string> = {
  fr: "fr-FR",
  en: "en-GB",
  pt: "pt-PT",
  de: "de-DE",
};

/** How many hex digits of each event's hash the timeline shows (the file has them all). */
const HASH_PREFIX = 16;
/**
 * Hashes print whole, on one line: 64 hex digits at 8 pt take at most 293 pt of DejaVu Sans
 * Condensed (330 pt in bold), hence the width of the columns that hold one.
 */
const HASH_SIZE = 8;
const HASH_COLUMN = 305;

const paragraph = (text: string, style?: TextStyle): Block => ({ kind: "paragraph", text, style });
const h2 = (text: string): Block => ({ kind: "heading", level: "H2", text });
const muted: TextStyle = { color: COLOR.muted };

/** A two-column table of labels (TH) and values (TD). */
function facts(pairs: [string, string][], valueSize?: number): Block {
  const labelWidth = 130;
  return {
    kind: "table",
    columns: [{ width: labelWidth }, { width: CONTENT_WIDTH - labelWidth, size: valueSize }],
    rows: pairs.map((cells) => ({
      cells,
      headerCells: 1,
      cellFonts: ["regular", "bold"],
      cellColors: [COLOR.muted, COLOR.text],
      tint: true,
    })),
    gapAfter: 10,
  };
}

/** A label looked up by code, or the code itself when the template does not word it. */
function label(t: EvidenceSummaryText, key: string, code: string): string {
  return isPlainEvidenceSentence(key) ? t(key) : code;
}

function header(data: EvidenceSummaryData, t: EvidenceSummaryText, f: Formats): Block[] {
  const operator = data.operator.legalName;
  const date = f.instant(data.generatedAt);
  return [
    {
      kind: "heading",
      level: "H1",
      text: t("document.heading", { reference: data.case.reference }),
    },
    paragraph(
      data.requestedBy === "staff"
        ? t("document.generatedForStaff", { date, operator })
        : t("document.generatedForSubscriber", { date }),
      { ...muted, gapAfter: 8 },
    ),
    paragraph(t("document.intro", { operator })),
  ];
}

function caseFacts(data: EvidenceSummaryData, t: EvidenceSummaryText, f: Formats): Block[] {
  const { case: row } = data;
  const pairs: [string, string][] = [
    [t("case.reference"), row.reference],
    [t("case.operator"), data.operator.legalName],
    [t("case.receivedAt"), f.instant(row.receivedAt)],
    [t("case.endDate"), f.date(row.effectiveEndDate)],
    [t("case.status"), t(`status.${row.status}`)],
    [t("case.type"), label(t, `type.${row.terminationType}`, row.terminationType)],
  ];
  if (row.withdrawnAt) pairs.push([t("case.withdrawnAt"), f.instant(row.withdrawnAt)]);
  pairs.push([
    t("case.contracts"),
    row.contracts
      .map((contract) =>
        t("case.contract", { offer: contract.offerName, contractNumber: contract.contractNumber }),
      )
      .join("\n"),
  ]);
  return [h2(t("case.heading")), facts(pairs)];
}

const TIMELINE_COLUMNS: Column[] = [
  { width: 26, align: "right" },
  { width: 118, size: 8 },
  { width: CONTENT_WIDTH - 26 - 118 - 66 - 96 },
  { width: 66 },
  { width: 96, size: HASH_SIZE },
];

function timeline(data: EvidenceSummaryData, t: EvidenceSummaryText, f: Formats): Block[] {
  return [
    h2(t("timeline.heading")),
    paragraph(
      t("timeline.intro", { count: String(data.events.length), stream: data.case.stream }),
      muted,
    ),
    {
      kind: "table",
      columns: TIMELINE_COLUMNS,
      header: [
        t("timeline.column.seq"),
        t("timeline.column.time"),
        t("timeline.column.event"),
        t("timeline.column.actor"),
        t("timeline.column.hash"),
      ],
      rows: data.events.map((event) => ({
        cells: [
          String(event.seq),
          f.shortInstant(event.occurredAt),
          label(t, `event.${event.type}`, event.type),
          label(t, `actor.${event.actorType}`, event.actorType),
          `${event.hash.slice(0, HASH_PREFIX)}…`,
        ],
        cellColors: [COLOR.muted, undefined, undefined, undefined, COLOR.muted],
      })),
    },
  ];
}

/** Sizes in kB (at least 1), as a file manager shows them. */
function size(locale: string, bytes: number): string {
  return new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte" }).format(
    Math.max(1, Math.round(bytes / 1024)),
  );
}

const DOCUMENT_COLUMNS: Column[] = [
  { width: CONTENT_WIDTH - HASH_COLUMN },
  { width: HASH_COLUMN, size: HASH_SIZE },
];

function documents(
  data: EvidenceSummaryData,
  t: EvidenceSummaryText,
  f: Formats,
  locale: string,
): Block[] {
  if (data.documents.length === 0) {
    return [h2(t("documents.heading")), paragraph(t("documents.none"))];
  }
  const rows: Row[] = data.documents.map((document) => {
    const lines = [
      label(t, `kind.${document.kind}`, document.kind),
      document.path ??
        (document.purgedAt ? t("documents.purged", { date: f.instant(document.purgedAt) }) : "—"),
      `${f.shortInstant(document.createdAt)} · ${size(locale, document.sizeBytes)}`,
    ];
    return { cells: [lines.join("\n"), document.sha256] };
  });
  return [
    h2(t("documents.heading")),
    paragraph(t("documents.intro"), muted),
    {
      kind: "table",
      columns: DOCUMENT_COLUMNS,
      header: [t("documents.column.file"), t("documents.column.sha256")],
      rows,
    },
  ];
}

/** The SMTP message ID gets the wide column: broken at a hyphen, a copy of it would be wrong. */
const EMAIL_COLUMNS: Column[] = [
  { width: CONTENT_WIDTH - HASH_COLUMN },
  { width: HASH_COLUMN, size: 7.5 },
];

function emails(data: EvidenceSummaryData, t: EvidenceSummaryText, f: Formats): Block[] {
  if (data.emails.length === 0) {
    return [h2(t("emails.heading")), paragraph(t("emails.none"))];
  }
  return [
    h2(t("emails.heading")),
    paragraph(t("emails.intro"), muted),
    {
      kind: "table",
      columns: EMAIL_COLUMNS,
      header: [t("emails.column.kind"), t("emails.column.messageId")],
      rows: data.emails.map((email) => ({
        cells: [
          [
            `${label(t, `emailKind.${email.kind}`, email.kind)} — ${label(t, `emailStatus.${email.status}`, email.status)}`,
            t("emails.recipient", { recipient: email.recipient }),
            email.sentAt
              ? t("emails.sentAt", { date: f.shortInstant(email.sentAt) })
              : t("emails.notSent"),
          ].join("\n"),
          email.smtpMessageId ?? "—",
        ],
      })),
    },
  ];
}

const PROOF_STEP_COLUMNS: Column[] = [
  { width: 40, align: "right" },
  { width: 60 },
  { width: CONTENT_WIDTH - 100, size: HASH_SIZE },
];

function proof(data: EvidenceSummaryData, t: EvidenceSummaryText, f: Formats): Block[] {
  // The number on one line, the hash whole on the next.
  const link = (seq: number, hash: string) => `${t("proof.link", { seq: String(seq) })}\n${hash}`;
  const chain: [string, string][] = [
    [t("proof.stream"), data.case.stream],
    [t("proof.events"), String(data.events.length)],
    [t("proof.head"), link(data.head.seq, data.head.hash)],
  ];
  const blocks: Block[] = [
    h2(t("proof.heading")),
    paragraph(t("proof.intro", { operator: data.operator.legalName })),
  ];
  const { checkpoint } = data;
  if (checkpoint === null) {
    return [...blocks, facts(chain, HASH_SIZE), paragraph(t("proof.noCheckpoint"))];
  }
  const taken = f.instant(checkpoint.takenAt);
  chain.push(
    [t("proof.checkpoint"), t("proof.checkpointValue", { id: String(checkpoint.id), date: taken })],
    [t("proof.root"), checkpoint.root],
    [t("proof.keyId"), checkpoint.keyId],
    [t("proof.signature"), checkpoint.signature],
  );
  const { covered } = checkpoint;
  if (covered === null) {
    return [
      ...blocks,
      facts(chain, HASH_SIZE),
      paragraph(t("proof.notCovered", { id: String(checkpoint.id), date: taken })),
    ];
  }
  chain.push([t("proof.covered"), link(covered.seq, covered.hash)]);
  const after = data.head.seq - covered.seq;
  if (after > 0) chain.push([t("proof.after"), t("proof.afterValue", { count: String(after) })]);
  return [
    ...blocks,
    facts(chain, HASH_SIZE),
    { kind: "heading", level: "H3", text: t("proof.stepsHeading") },
    covered.proof.length === 0
      ? paragraph(t("proof.noSteps"))
      : {
          kind: "table",
          columns: PROOF_STEP_COLUMNS,
          header: [t("proof.column.step"), t("proof.column.side"), t("proof.column.hash")],
          rows: covered.proof.map((step, index) => ({
            cells: [String(index + 1), t(`proof.side.${step.side}`), step.hash],
          })),
        },
  ];
}

/** How to run the standalone verifier on the pack's files (a command, not wording). */
const VERIFY_COMMAND = "node verify-audit-export.mjs events.jsonl --public-key audit-keys.json";

function howToCheck(data: EvidenceSummaryData, t: EvidenceSummaryText): Block[] {
  return [
    h2(t("verify.heading")),
    paragraph(t("verify.intro", { operator: data.operator.legalName }), { gapAfter: 3 }),
    {
      kind: "list",
      items: [
        t("verify.files"),
        t("verify.chain"),
        t("verify.proof"),
        // The address on a line of its own: a URL broken at a hyphen would be copied wrong.
        `${t("verify.signature")}\n${data.publicKeysUrl}`,
        `${t("verify.tool")}\n${VERIFY_COMMAND}`,
      ],
    },
  ];
}

/** "Operator — evidence pack RX-…" and "1/3" at the foot of every page, as pagination artifacts. */
function footers(doc: PDFKit.PDFDocument, data: EvidenceSummaryData, t: EvidenceSummaryText) {
  drawPageFooters(
    doc,
    t("footer.reference", { operator: data.operator.legalName, reference: data.case.reference }),
    (page, pages) => t("footer.page", { page: String(page), pages: String(pages) }),
  );
}

export async function renderEvidenceSummary(data: EvidenceSummaryData): Promise<Buffer> {
  const t = evidenceSummaryText(evidenceSummaryTemplate(data.jurisdiction, data.language));
  const locale = LOCALES[data.language];
  const generatedAt = new Date(data.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) {
    throw new RangeError(`bad generatedAt: ${data.generatedAt}`);
  }
  const { doc, bytes } = createArchivalPdf({
    margins: MARGIN,
    locale,
    title: `${t("document.title")} — ${data.case.reference}`,
    author: data.operator.legalName,
    date: generatedAt,
    idSeed: data.documentKey,
  });
  const root = doc.struct("Document");
  doc.addStructure(root);
  doc.y = MARGIN.top;
  const f = formats(locale, data.operator.timeZone);
  const layout = new Layout(doc);
  layout.artifact(() => doc.rect(0, 0, PAGE_WIDTH, 6).fillColor(COLOR.accent).fill());
  for (const blocks of [
    header(data, t, f),
    caseFacts(data, t, f),
    timeline(data, t, f),
    documents(data, t, f, locale),
    emails(data, t, f),
    proof(data, t, f),
    howToCheck(data, t),
  ]) {
    layout.section(root, blocks);
  }
  root.end();
  footers(doc, data, t);
  doc.end();
  return bytes;
}
