import { createArchivalPdf, safeFileName } from "./archival-pdf";
import type { ContractSummary, ReturnItemSummary } from "../domain/cancellation-summary";
import { addDays } from "../domain/dates";
import type { FeeLine, RefundExpectation } from "../domain/jurisdictions/types";
import { isPlainSentence, letterTemplate, letterText, type LetterText } from "./letter-template";
import type { TerminationLetterData } from "./termination-letter-data";
import { formatPhoneNumber as formatPhone } from "../domain/identification";
import { formats, type Formats } from "./pdf-formats";
import { localeFor } from "../i18n/i18n";
import {
  COLOR,
  CONTENT_WIDTH,
  Layout,
  MARGIN,
  PAGE_WIDTH,
  PARAGRAPH_GAP,
  SIZE,
  type Block,
  type Column,
  type Row,
  type Struct,
  type TextStyle,
  drawPageFooters,
} from "./pdf-layout";

// The termination letter (acknowledgment of a cancellation, LEGAL.md "Acknowledgment"): A4,
// PDF/A-2b, tagged, with an embedded font. Pure: data in, bytes out, and the same data gives the
// same bytes (the dates and the document ID are pinned to the case), so a stored letter can be
// re-rendered and compared. Wording comes from templates/; this file only lays it out.

export const TERMINATION_LETTER_CONTENT_TYPE = "application/pdf";

/** e.g. `lettre-de-resiliation-RX-7K3M-9QPD.pdf`: the template's name, folded to safe ASCII. */
export function terminationLetterFileName(data: TerminationLetterData): string {
  const t = letterText(letterTemplate(data.jurisdiction, data.language));
  return safeFileName(t("document.fileName", { reference: data.caseReference }));
}

// The page geometry, the style and the block layout are shared with the evidence summary
// (pdf-layout.ts); the formatting of amounts and dates too (pdf-formats.ts).

/** Where a window envelope shows the address (French standard: about 11 cm from the left). */
const ADDRESS_X = 322;

/**
 * CRD art. 13(1): every payment is refunded within 14 days of the withdrawal (the same number as
 * the packs' EU_WITHDRAWAL_REFUND_DAYS; the letter only states it).
 */
const WITHDRAWAL_REFUND_DAYS = 14;

const isWithdrawal = (data: TerminationLetterData) => data.terminationType === "withdrawal";

/** The letter's title: a withdrawal from the contract is acknowledged as such. */
function title(data: TerminationLetterData, t: LetterText): string {
  return isWithdrawal(data) ? t("document.titleWithdrawal") : t("document.title");
}

// ---------------------------------------------------------------------------------------------
// The letter

interface Context {
  data: TerminationLetterData;
  t: LetterText;
  f: Formats;
  layout: Layout;
  doc: PDFKit.PDFDocument;
  root: Struct;
}

const paragraph = (text: string, style?: TextStyle): Block => ({ kind: "paragraph", text, style });
const h2 = (text: string): Block => ({ kind: "heading", level: "H2", text });
const muted: TextStyle = { color: COLOR.muted };

/** Operator letterhead (top left), addressee (window position), date: drawn at fixed places. */
function letterhead(ctx: Context): void {
  const { data, t, layout, doc, root } = ctx;
  const { operator, subscriber } = data;
  layout.artifact(() => doc.rect(0, 0, PAGE_WIDTH, 6).fillColor(COLOR.accent).fill());

  doc.y = MARGIN.top - 10;
  const width = ADDRESS_X - MARGIN.left - 20;
  const small: TextStyle = { size: SIZE.small, color: COLOR.muted, width, gapAfter: 0 };
  const identifiers = [
    operator.registrationNumber,
    operator.vatNumber ? t("letterhead.vat", { vatNumber: operator.vatNumber }) : null,
  ];
  const contactLine = [operator.supportEmail, operator.supportPhone].filter(Boolean).join(" · ");
  layout.section(root, [
    paragraph(operator.legalName, {
      font: "bold",
      size: SIZE.operator,
      color: COLOR.accent,
      width,
      gapAfter: 2,
    }),
    paragraph(operator.addressLines.join("\n"), small),
    paragraph(identifiers.filter((line) => line !== null).join("\n"), small),
    paragraph(contactLine, small),
  ]);
  const letterheadBottom = doc.y;

  doc.y = MARGIN.top + 78;
  const address: TextStyle = { x: ADDRESS_X, width: PAGE_WIDTH - MARGIN.right - ADDRESS_X };
  layout.section(root, [
    paragraph(`${subscriber.firstName} ${subscriber.lastName}`, {
      ...address,
      font: "bold",
      gapAfter: 1,
    }),
    ...(subscriber.addressLines.length > 0
      ? [paragraph(subscriber.addressLines.join("\n"), { ...address, gapAfter: 3 })]
      : []),
    paragraph(t("subscriber.customerNumber", { customerNumber: subscriber.customerNumber }), {
      ...address,
      size: SIZE.small + 0.5,
      color: COLOR.muted,
      gapAfter: 0,
    }),
  ]);

  doc.y = Math.max(doc.y, letterheadBottom) + 24;
  layout.section(root, [
    paragraph(t("letter.date", { date: ctx.f.day(data.receivedAt) }), {
      align: "right",
      color: COLOR.muted,
      gapAfter: 14,
    }),
  ]);
}

/** Title, the facts that matter most (reference, receipt time, end date, type), and the intro. */
function acknowledgment(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
  const facts: [string, string][] = [
    [t("facts.reference"), data.caseReference],
    [t("facts.receivedAt"), f.instant(data.receivedAt)],
    [t("facts.endDate"), f.date(data.effectiveEndDate)],
    [t("facts.type"), t(`type.${data.terminationType}`)],
  ];
  if (data.legitimateReason) {
    const key = `reason.${data.legitimateReason}`;
    // An unknown code still prints (as the code): the letter must not fail over a label.
    facts.push([t("facts.reason"), isPlainSentence(key) ? t(key) : data.legitimateReason]);
  }
  const name = `${data.subscriber.firstName} ${data.subscriber.lastName}`;
  const receivedParams = {
    receivedAt: f.instant(data.receivedAt),
    endDate: f.date(data.effectiveEndDate),
  };
  const received = isWithdrawal(data)
    ? t("intro.receivedWithdrawal", receivedParams)
    : t("intro.received", receivedParams);
  return [
    { kind: "heading", level: "H1", text: title(data, t) },
    {
      kind: "table",
      columns: [{ width: 150 }, { width: CONTENT_WIDTH - 150 }],
      rows: facts.map((cells) => ({
        cells,
        headerCells: 1,
        cellFonts: ["regular", "bold"],
        cellColors: [COLOR.muted, COLOR.text],
        tint: true,
      })),
      gapAfter: 16,
    },
    paragraph(t("intro.salutation", { name })),
    paragraph(received),
    paragraph(`${t("intro.purpose")} ${t("intro.keep")}`),
    ...(data.terminationType === "legitimate_reason"
      ? [
          paragraph(
            t("reason.proofReminder", {
              email: data.operator.supportEmail,
              reference: data.caseReference,
            }),
          ),
        ]
      : []),
  ];
}

function contractLabel(t: LetterText, contract: { offerName: string; contractNumber: string }) {
  return t("contracts.contract", {
    offer: contract.offerName,
    contractNumber: contract.contractNumber,
  });
}

function contracts(data: TerminationLetterData, t: LetterText): Block[] {
  return [
    h2(t("contracts.heading")),
    ...data.contracts.flatMap((contract) => [
      paragraph(contractLabel(t, contract), {
        font: "bold",
        gapAfter: contract.lines.length > 0 ? 1 : PARAGRAPH_GAP,
      }),
      ...(contract.lines.length > 0
        ? [
            paragraph(
              t("contracts.lines", { lines: contract.lines.map(formatPhone).join(", ") }),
              muted,
            ),
          ]
        : []),
    ]),
  ];
}

function duration(t: LetterText, line: FeeLine): string {
  if (line.days === 0) return t("fees.duration.months", { months: String(line.months) });
  if (line.months === 0) return t("fees.duration.days", { days: String(line.days) });
  return t("fees.duration.monthsAndDays", {
    months: String(line.months),
    days: String(line.days),
  });
}

/**
 * The advantage line (Portugal): "300,00 € × 18 months / 24 months". The line carries the whole
 * advantage (`periodCents`), the remaining period and its share of the commitment in percent, so
 * the commitment's length is the remaining period over that share.
 */
function proRataComputation(t: LetterText, f: Formats, line: FeeLine, currency: string): string {
  const remainingMonths = line.months + line.days / (365.25 / 12);
  const totalMonths =
    line.sharePercent > 0 ? Math.round((remainingMonths * 100) / line.sharePercent) : 0;
  return t("fees.computationProRata", {
    advantage: f.money(line.periodCents, currency),
    remaining: duration(t, line),
    total: t("fees.duration.months", { months: String(totalMonths) }),
  });
}

function computation(t: LetterText, f: Formats, line: FeeLine, currency: string): string {
  if (line.kind === "advantage_pro_rata") return proRataComputation(t, f, line, currency);
  return t("fees.computation", {
    duration: duration(t, line),
    monthly: f.money(line.monthlyCents, currency),
  });
}

const FEE_COLUMNS: Column[] = [
  { width: 182 },
  { width: 168 },
  { width: 56, align: "right" },
  { width: CONTENT_WIDTH - 182 - 168 - 56, align: "right" },
];

/**
 * Same content as the web page (components/consequences.tsx, FeeDetails): the waiver sentence
 * when there is no fee, otherwise one line per computation step and the total (the sum of the
 * lines, or the lower of them under `rule: "lower_of"`, said under the table).
 */
function feeDetails(t: LetterText, f: Formats, contract: ContractSummary): Block[] {
  const { fee } = contract;
  if (fee.waiver || fee.lines.length === 0) {
    return [
      paragraph(t("fees.totalSentence", { amount: f.money(fee.totalCents, fee.currency) }), {
        font: "bold",
        gapAfter: 2,
      }),
      ...(fee.waiver ? [paragraph(t(`fees.waiver.${fee.waiver}`), muted)] : []),
    ];
  }
  const rows: Row[] = fee.lines.map((line) => ({
    cells: [
      t(`fees.line.${line.kind}`),
      computation(t, f, line, fee.currency),
      f.percent(line.sharePercent),
      f.money(line.amountCents, fee.currency),
    ],
  }));
  rows.push({
    cells: [t("fees.total"), "", "", f.money(fee.totalCents, fee.currency)],
    headerCells: 1,
    font: "bold",
    tint: true,
  });
  return [
    {
      kind: "table",
      columns: FEE_COLUMNS,
      rows,
      header: [
        t("fees.column.description"),
        t("fees.column.computation"),
        t("fees.column.share"),
        t("fees.column.amount"),
      ],
    },
    ...(fee.rule === "lower_of" ? [paragraph(t("fees.lowerOf"), muted)] : []),
    ...(fee.commitmentEndDate
      ? [paragraph(t("fees.commitmentEnds", { date: f.date(fee.commitmentEndDate) }), muted)]
      : []),
  ];
}

function fees(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
  const { summary } = data;
  const several = summary.contracts.length > 1;
  return [
    h2(t("fees.heading")),
    ...summary.contracts.flatMap((contract) => [
      ...(several
        ? [{ kind: "heading", level: "H3", text: contractLabel(t, contract) } as const]
        : []),
      ...feeDetails(t, f, contract),
    ]),
    ...(several
      ? [
          paragraph(
            t("fees.grandTotal", { amount: f.money(summary.feeTotalCents, summary.currency) }),
            { font: "bold" },
          ),
        ]
      : []),
  ];
}

function equipmentLabel(t: LetterText, item: ReturnItemSummary): string {
  const key = `equipment.kind.${item.kind}`;
  return t("equipment.item", {
    kind: t(isPlainSentence(key) ? key : "equipment.kind.other"),
    model: item.model,
  });
}

function equipment(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
  const { summary } = data;
  if (summary.returnItems.length === 0) {
    return [h2(t("equipment.heading")), paragraph(t("equipment.none"))];
  }
  const rows: Row[] = summary.returnItems.map((item) => ({
    cells: [equipmentLabel(t, item), f.money(item.nonReturnChargeCents, summary.currency)],
  }));
  if (summary.returnItems.length > 1) {
    rows.push({
      cells: [
        t("equipment.totalCharge"),
        f.money(summary.nonReturnChargeTotalCents, summary.currency),
      ],
      headerCells: 1,
      font: "bold",
      tint: true,
    });
  }
  const methods = summary.returnMethods.map((method) => {
    const key = `equipment.method.${method}`;
    return isPlainSentence(key) ? t(key) : method;
  });
  return [
    h2(t("equipment.heading")),
    {
      kind: "table",
      columns: [{ width: CONTENT_WIDTH - 160 }, { width: 160, align: "right" }],
      rows,
      header: [t("equipment.column.item"), t("equipment.column.charge")],
    },
    ...(summary.returnDeadline
      ? [
          paragraph(t("equipment.deadline", { date: f.date(summary.returnDeadline) }), {
            font: "bold",
          }),
        ]
      : []),
    ...(methods.length > 0
      ? [paragraph(t("equipment.methods", { methods: methods.join(", ") }))]
      : []),
    paragraph(t("equipment.address", { address: data.operator.returnAddress })),
  ];
}

function refundDeadline(t: LetterText, refund: RefundExpectation): string {
  const days = String(refund.legalDays);
  return refund.trigger === "equipment_returned"
    ? t("refunds.afterEquipment", { days })
    : t("refunds.afterLastInvoice", { days });
}

function refunds(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
  if (data.summary.refunds.length === 0) {
    return [h2(t("refunds.heading")), paragraph(t("refunds.none"))];
  }
  return [
    h2(t("refunds.heading")),
    {
      kind: "table",
      columns: [{ width: 150 }, { width: 90, align: "right" }, { width: CONTENT_WIDTH - 240 }],
      rows: data.summary.refunds.map((refund) => ({
        cells: [
          t(`refunds.kind.${refund.kind}`),
          f.money(refund.amountCents, refund.currency),
          refundDeadline(t, refund),
        ],
      })),
      header: [t("refunds.column.kind"), t("refunds.column.amount"), t("refunds.column.deadline")],
    },
  ];
}

/** A withdrawal from the contract: every payment comes back within the EU's 14 days. */
function withdrawalRefunds(data: TerminationLetterData, t: LetterText): Block[] {
  if (!isWithdrawal(data)) return [];
  return [
    h2(t("withdrawal.heading")),
    paragraph(t("withdrawal.refunds", { days: String(WITHDRAWAL_REFUND_DAYS) })),
  ];
}

/**
 * How to take back a pending cancellation. A withdrawal from the contract ends it on receipt:
 * there is nothing left to take back, so the section is left out.
 */
function withdrawal(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
  if (isWithdrawal(data)) return [];
  return [
    h2(t("withdraw.heading")),
    paragraph(
      t("withdraw.body", {
        lastDay: f.date(addDays(data.effectiveEndDate, -1)),
        endDate: f.date(data.effectiveEndDate),
        url: data.caseLookupUrl,
        reference: data.caseReference,
        email: data.subscriber.email,
      }),
    ),
  ];
}

function legalBasis(data: TerminationLetterData, t: LetterText): Block[] {
  if (data.legalBasis.length === 0) return [];
  return [
    h2(t("legal.heading")),
    paragraph(t("legal.intro"), { gapAfter: 3 }),
    { kind: "list", items: data.legalBasis.map((basis) => basis.text) },
  ];
}

function contact(data: TerminationLetterData, t: LetterText): Block[] {
  const { operator } = data;
  return [
    h2(t("contact.heading")),
    paragraph(t("contact.email", { email: operator.supportEmail, reference: data.caseReference }), {
      gapAfter: operator.supportPhone ? 2 : PARAGRAPH_GAP,
    }),
    ...(operator.supportPhone
      ? [paragraph(t("contact.phone", { phone: operator.supportPhone }))]
      : []),
  ];
}

function closing(data: TerminationLetterData, t: LetterText): Block[] {
  return [
    { kind: "space", height: 8 },
    paragraph(t("closing.regards"), { gapAfter: 10 }),
    paragraph(t("closing.signature", { operator: data.operator.legalName }), { font: "bold" }),
  ];
}

/** "Operator — case RX-…" and "1/2" at the foot of every page, as pagination artifacts. */
function footers(ctx: Context): void {
  const { data, t, doc } = ctx;
  drawPageFooters(
    doc,
    t("footer.reference", { operator: data.operator.legalName, reference: data.caseReference }),
    (page, pages) => t("footer.page", { page: String(page), pages: String(pages) }),
  );
}

// pdfkit computes the file ID from the info dictionary at construction; we pin it to the case's
// document key instead (TOOLCHAIN.md). `_id` is pdfkit's own field, not in its typings.

export async function renderTerminationLetter(data: TerminationLetterData): Promise<Buffer> {
  const t = letterText(letterTemplate(data.jurisdiction, data.language));
  const locale = localeFor(data.language);
  const receivedAt = new Date(data.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) {
    throw new RangeError(`bad receivedAt: ${data.receivedAt}`);
  }

  const { doc, bytes: done } = createArchivalPdf({
    margins: MARGIN,
    locale,
    title: `${title(data, t)} — ${data.caseReference}`,
    author: data.operator.legalName,
    date: receivedAt,
    idSeed: data.documentKey,
  });

  const root = doc.struct("Document");
  doc.addStructure(root);
  const f = formats(locale, data.operator.timeZone);
  const layout = new Layout(doc);
  const ctx: Context = { data, t, f, layout, doc, root };
  letterhead(ctx);
  for (const blocks of [
    acknowledgment(data, t, f),
    contracts(data, t),
    fees(data, t, f),
    equipment(data, t, f),
    refunds(data, t, f),
    withdrawalRefunds(data, t),
    withdrawal(data, t, f),
    legalBasis(data, t),
    contact(data, t),
    closing(data, t),
  ]) {
    if (blocks.length > 0) layout.section(root, blocks);
  }
  root.end();
  footers(ctx);
  doc.end();
  return done;
}
