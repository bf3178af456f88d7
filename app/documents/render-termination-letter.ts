import { createArchivalPdf, safeFileName } from "./archival-pdf";
import type { ContractSummary, ReturnItemSummary } from "../domain/cancellation-summary";
import { addDays, type IsoDate } from "../domain/dates";
import type { FeeLine, RefundExpectation } from "../domain/jurisdictions/types";
import { isPlainSentence, letterTemplate, letterText, type LetterText } from "./letter-template";
import type { TerminationLetterData } from "./termination-letter-data";
import { formatPhoneNumber as formatPhone } from "../domain/identification";

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

// ---------------------------------------------------------------------------------------------
// Page geometry and style (points; A4 = 595.28 × 841.89)

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = { top: 48, bottom: 72, left: 57, right: 57 };
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom;
const FOOTER_TOP = PAGE_HEIGHT - 50;
/** Where a window envelope shows the address (French standard: about 11 cm from the left). */
const ADDRESS_X = 322;

const COLOR = {
  text: "#1f2933",
  muted: "#52606d",
  accent: "#1a4d8f",
  rule: "#cbd2d9",
  tint: "#eef2f7",
};
const SIZE = { small: 8, body: 9.5, h3: 10, h2: 11.5, title: 16, operator: 13 };
const LINE_GAP = 1.5;
const PARAGRAPH_GAP = 5;
const CELL_PADDING = { x: 5, y: 3.5 };

type FontName = "regular" | "bold";
type Struct = PDFKit.PDFStructureElement;

const LOCALES: Record<TerminationLetterData["language"], string> = { fr: "fr-FR", en: "en-GB" };

// ---------------------------------------------------------------------------------------------
// Formatting (Intl in the letter's language; formatters are costly to build, so they are cached)

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

interface Formats {
  money(cents: number, currency: string): string;
  percent(value: number): string;
  /** A legal date (`YYYY-MM-DD`), printed as is. */
  date(date: IsoDate): string;
  /** The calendar day of an instant in the operator's time zone. */
  day(iso: string): string;
  /** An instant, to the second with its UTC offset, in the operator's time zone. */
  instant(iso: string): string;
}

function formats(locale: string, timeZone: string): Formats {
  return {
    money(cents, currency) {
      const format = numberFormat(locale, { style: "currency", currency });
      const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(cents / 10 ** digits);
    },
    percent(value) {
      return numberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
        value / 100,
      );
    },
    date(date) {
      const [year, month, day] = date.split("-").map(Number);
      // A calendar date has no time zone: format its UTC midnight in UTC.
      return dateFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1)),
      );
    },
    day(iso) {
      return dateFormat(locale, { dateStyle: "long", timeZone }).format(new Date(iso));
    },
    instant(iso) {
      // shortOffset gives "UTC+1" / "GMT+1", unambiguous where "CET" is not.
      return dateFormat(locale, {
        day: "numeric",
        month: "long",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZoneName: "shortOffset",
        timeZone,
      }).format(new Date(iso));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Layout. Sections are lists of blocks, measured before they are drawn when they end near the
// bottom of a page, so that a short section never splits across pages. Every piece of text is drawn inside a structure element (tagged
// PDF); rules, backgrounds, repeated table headers and page footers are marked as artifacts.

interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
  x?: number;
  width?: number;
  align?: "left" | "right" | "center";
  gapAfter?: number;
}

interface Column {
  width: number;
  align?: "left" | "right";
}

interface Row {
  cells: string[];
  /** Label cells (the first `headerCells`) are tagged TH, the others TD. */
  headerCells?: number;
  font?: FontName;
  color?: string;
  /** Per-cell overrides of `font` and `color`. */
  cellFonts?: (FontName | undefined)[];
  cellColors?: (string | undefined)[];
  tint?: boolean;
}

type Block =
  | { kind: "paragraph"; text: string; style?: TextStyle }
  | { kind: "heading"; level: "H1" | "H2" | "H3"; text: string }
  | { kind: "table"; columns: Column[]; rows: Row[]; header?: string[]; gapAfter?: number }
  | { kind: "list"; items: string[] }
  | { kind: "space"; height: number };

/** A section shorter than this moves whole to the next page rather than split. */
const KEEP_TOGETHER_MAX = 300;
const LIST_INDENT = 12;
const HEADER_SIZE = SIZE.small + 0.5;

const HEADING_STYLE: Record<"H1" | "H2" | "H3", TextStyle & { spaceBefore: number }> = {
  H1: { font: "bold", size: SIZE.title, color: COLOR.accent, gapAfter: 10, spaceBefore: 0 },
  H2: { font: "bold", size: SIZE.h2, color: COLOR.accent, gapAfter: 7, spaceBefore: 12 },
  H3: { font: "bold", size: SIZE.h3, gapAfter: 3, spaceBefore: 4 },
};

function cellStyle(columns: Column[], row: Row, index: number, x: number, size: number): TextStyle {
  const column = columns[index];
  return {
    font: row.cellFonts?.[index] ?? row.font,
    size,
    color: row.cellColors?.[index] ?? row.color,
    x: x + CELL_PADDING.x,
    width: (column?.width ?? 0) - 2 * CELL_PADDING.x,
    align: column?.align,
  };
}

function headerRow(cells: string[]): Row {
  return { cells, headerCells: cells.length, font: "bold", color: COLOR.muted, tint: true };
}

/**
 * Heights of measured text, shared by all letters: most sentences and labels recur from letter
 * to letter, and measuring wraps the text a second time. Same font, size and width, same height.
 */
const measuredHeights = new Map<string, number>();
const MEASURED_HEIGHTS_MAX = 5_000;

class Layout {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  /** Starts a new page when `height` more points do not fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > CONTENT_BOTTOM) {
      this.doc.addPage();
      this.doc.y = MARGIN.top;
    }
  }

  artifact(draw: () => void): void {
    this.doc.markContent("Artifact");
    draw();
    this.doc.endMarkedContent();
  }

  // --- measuring ------------------------------------------------------------------------------

  textHeight(text: string, style: TextStyle = {}): number {
    const font = style.font ?? "regular";
    const size = style.size ?? SIZE.body;
    const width = style.width ?? CONTENT_WIDTH;
    const key = `${font}|${size}|${width}|${text}`;
    let height = measuredHeights.get(key);
    if (height === undefined) {
      height = this.doc
        .font(font)
        .fontSize(size)
        .heightOfString(text, { width, lineGap: LINE_GAP });
      if (measuredHeights.size >= MEASURED_HEIGHTS_MAX) measuredHeights.clear();
      measuredHeights.set(key, height);
    }
    return height;
  }

  /** Row heights are asked for several times (page breaks, backgrounds): measured once. */
  private readonly rowHeights = new WeakMap<Row, number>();

  private rowHeight(columns: Column[], row: Row, size: number): number {
    let height = this.rowHeights.get(row);
    if (height === undefined) {
      height = Math.max(
        ...columns.map(
          (_, index) =>
            this.textHeight(row.cells[index] ?? "", cellStyle(columns, row, index, 0, size)) +
            2 * CELL_PADDING.y,
        ),
      );
      this.rowHeights.set(row, height);
    }
    return height;
  }

  height(block: Block): number {
    switch (block.kind) {
      case "paragraph":
        return this.textHeight(block.text, block.style) + (block.style?.gapAfter ?? PARAGRAPH_GAP);
      case "heading": {
        const style = HEADING_STYLE[block.level];
        return style.spaceBefore + this.textHeight(block.text, style) + (style.gapAfter ?? 0);
      }
      case "table":
        return (
          (block.header ? this.rowHeight(block.columns, this.headerRow(block), HEADER_SIZE) : 0) +
          block.rows.reduce((sum, row) => sum + this.rowHeight(block.columns, row, SIZE.body), 0) +
          (block.gapAfter ?? PARAGRAPH_GAP + 4)
        );
      case "list":
        return block.items.reduce(
          (sum, item) => sum + this.textHeight(item, { width: CONTENT_WIDTH - LIST_INDENT }) + 2,
          PARAGRAPH_GAP - 2,
        );
      case "space":
        return block.height;
    }
  }

  private readonly headerRows = new WeakMap<Block, Row>();

  private headerRow(block: Extract<Block, { kind: "table" }>): Row {
    let row = this.headerRows.get(block);
    if (!row) {
      row = headerRow(block.header ?? []);
      this.headerRows.set(block, row);
    }
    return row;
  }

  /**
   * An overestimate of a block's height, without shaping any text: 1.5 × the lines that
   * characters as wide as an "M" in a condensed face would fill.
   */
  private estimatedHeight(block: Block): number {
    const textHeight = (text: string, size: number, width: number) =>
      text
        .split("\n")
        .reduce(
          (sum, line) =>
            sum +
            Math.max(1, Math.ceil((line.length * size * 0.75) / width)) * (size * 1.25 + LINE_GAP),
          0,
        );
    switch (block.kind) {
      case "paragraph": {
        const style = block.style ?? {};
        return (
          1.5 * textHeight(block.text, style.size ?? SIZE.body, style.width ?? CONTENT_WIDTH) +
          (style.gapAfter ?? PARAGRAPH_GAP)
        );
      }
      case "heading": {
        const style = HEADING_STYLE[block.level];
        return (
          1.5 * (style.spaceBefore + textHeight(block.text, style.size ?? SIZE.body, CONTENT_WIDTH))
        );
      }
      case "table":
        return (
          1.5 *
          [...(block.header ? [block.header] : []), ...block.rows.map((row) => row.cells)].reduce(
            (sum, cells) =>
              sum +
              2 * CELL_PADDING.y +
              Math.max(
                ...cells.map((cell, index) =>
                  textHeight(
                    cell,
                    SIZE.body,
                    (block.columns[index]?.width ?? 0) - 2 * CELL_PADDING.x,
                  ),
                ),
              ),
            0,
          )
        );
      case "list":
        return (
          1.5 *
          block.items.reduce(
            (sum, item) => sum + textHeight(item, SIZE.body, CONTENT_WIDTH - LIST_INDENT),
            0,
          )
        );
      case "space":
        return block.height;
    }
  }

  // --- drawing --------------------------------------------------------------------------------

  /**
   * Draws a section: whole on this page or the next when it is short, otherwise with at least
   * its heading and first block together.
   */
  section(parent: Struct, blocks: Block[]): void {
    // Measuring wraps the text once more: only worth it near the bottom of a page. Far from it,
    // a generous estimate shows that the whole section fits anyway.
    const estimate = blocks.reduce((sum, block) => sum + this.estimatedHeight(block), 0);
    const heights =
      this.doc.y + estimate > CONTENT_BOTTOM ? blocks.map((block) => this.height(block)) : null;
    if (heights) {
      const total = heights.reduce((sum, height) => sum + height, 0);
      this.ensureSpace(total <= KEEP_TOGETHER_MAX ? total : (heights[0] ?? 0) + (heights[1] ?? 0));
    }
    const sect = this.doc.struct("Sect");
    parent.add(sect);
    blocks.forEach((block, index) => {
      // A heading stays with the block that follows it.
      if (heights && block.kind === "heading") {
        this.ensureSpace((heights[index] ?? 0) + (heights[index + 1] ?? 0));
      }
      this.block(sect, block);
    });
    sect.end();
  }

  block(parent: Struct, block: Block): void {
    switch (block.kind) {
      case "paragraph":
        return this.paragraph(parent, block.text, block.style);
      case "heading":
        return this.heading(parent, block.level, block.text);
      case "table":
        return this.table(parent, block);
      case "list":
        return this.list(parent, block.items);
      case "space":
        this.doc.y += block.height;
        return;
    }
  }

  private draw(text: string, style: TextStyle, y: number): void {
    this.doc
      .font(style.font ?? "regular")
      .fontSize(style.size ?? SIZE.body)
      .fillColor(style.color ?? COLOR.text)
      .text(text, style.x ?? MARGIN.left, y, {
        width: style.width ?? CONTENT_WIDTH,
        align: style.align ?? "left",
        lineGap: LINE_GAP,
      });
  }

  /** A paragraph; pdfkit carries a long one over to the next page (and its tags with it). */
  paragraph(parent: Struct, text: string, style: TextStyle = {}, type = "P"): void {
    parent.add(this.doc.struct(type, {}, () => this.draw(text, style, this.doc.y)));
    this.doc.y += style.gapAfter ?? PARAGRAPH_GAP;
  }

  private heading(parent: Struct, level: "H1" | "H2" | "H3", text: string): void {
    const style = HEADING_STYLE[level];
    // At the top of a page, no space before: the margin is enough.
    if (this.doc.y > MARGIN.top) this.doc.y += style.spaceBefore;
    this.paragraph(parent, text, style, level);
    if (level === "H2") {
      const y = this.doc.y - 4;
      this.artifact(() =>
        this.doc
          .moveTo(MARGIN.left, y)
          .lineTo(MARGIN.left + CONTENT_WIDTH, y)
          .lineWidth(0.6)
          .strokeColor(COLOR.rule)
          .stroke(),
      );
    }
  }

  /** A bulleted list (L > LI > Lbl + LBody). */
  private list(parent: Struct, items: string[]): void {
    const list = this.doc.struct("L");
    parent.add(list);
    for (const item of items) {
      const style: TextStyle = { x: MARGIN.left + LIST_INDENT, width: CONTENT_WIDTH - LIST_INDENT };
      this.ensureSpace(this.textHeight(item, style));
      const y = this.doc.y;
      const entry = this.doc.struct("LI");
      list.add(entry);
      entry.add(
        this.doc.struct("Lbl", {}, () =>
          this.draw("•", { color: COLOR.muted, x: MARGIN.left + 2, width: LIST_INDENT }, y),
        ),
      );
      entry.add(this.doc.struct("LBody", {}, () => this.draw(item, style, y)));
      entry.end();
      this.doc.y += 2;
    }
    list.end();
    this.doc.y += PARAGRAPH_GAP - 2;
  }

  private drawCells(columns: Column[], row: Row, y: number, size: number): void {
    let x = MARGIN.left;
    columns.forEach((column, index) => {
      this.draw(
        row.cells[index] ?? "",
        cellStyle(columns, row, index, x, size),
        y + CELL_PADDING.y,
      );
      x += column.width;
    });
  }

  private rowBackground(columns: Column[], y: number, height: number, tint: boolean): void {
    const width = columns.reduce((sum, column) => sum + column.width, 0);
    this.artifact(() => {
      if (tint) this.doc.rect(MARGIN.left, y, width, height).fillColor(COLOR.tint).fill();
      this.doc
        .moveTo(MARGIN.left, y + height)
        .lineTo(MARGIN.left + width, y + height)
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .stroke();
    });
  }

  /**
   * A table (Table > TR > TH/TD). A row never splits across pages; when a table continues on a
   * new page its header is repeated there, as an artifact (it is tagged once, on the first page).
   */
  private table(parent: Struct, block: Extract<Block, { kind: "table" }>): void {
    const { columns, rows } = block;
    const header = block.header ? this.headerRow(block) : undefined;
    const headerHeight = header ? this.rowHeight(columns, header, HEADER_SIZE) : 0;
    const table = this.doc.struct("Table");
    parent.add(table);

    const taggedRow = (row: Row, size: number) => {
      const height = this.rowHeight(columns, row, size);
      const y = this.doc.y;
      this.rowBackground(columns, y, height, row.tint ?? false);
      const tr = this.doc.struct("TR");
      table.add(tr);
      let x = MARGIN.left;
      columns.forEach((column, index) => {
        const cellX = x;
        tr.add(
          this.doc.struct(index < (row.headerCells ?? 0) ? "TH" : "TD", {}, () =>
            this.draw(
              row.cells[index] ?? "",
              cellStyle(columns, row, index, cellX, size),
              y + CELL_PADDING.y,
            ),
          ),
        );
        x += column.width;
      });
      tr.end();
      this.doc.y = y + height;
    };

    if (header) {
      const firstRow = rows[0];
      this.ensureSpace(
        headerHeight + (firstRow ? this.rowHeight(columns, firstRow, SIZE.body) : 0),
      );
      taggedRow(header, HEADER_SIZE);
    }
    for (const row of rows) {
      if (this.doc.y + this.rowHeight(columns, row, SIZE.body) > CONTENT_BOTTOM) {
        this.doc.addPage();
        this.doc.y = MARGIN.top;
        if (header) {
          const y = this.doc.y;
          this.rowBackground(columns, y, headerHeight, true);
          this.artifact(() => this.drawCells(columns, header, y, HEADER_SIZE));
          this.doc.y = y + headerHeight;
        }
      }
      taggedRow(row, SIZE.body);
    }
    table.end();
    this.doc.y += block.gapAfter ?? PARAGRAPH_GAP + 4;
  }
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
  const received = t("intro.received", {
    receivedAt: f.instant(data.receivedAt),
    endDate: f.date(data.effectiveEndDate),
  });
  return [
    { kind: "heading", level: "H1", text: t("document.title") },
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

const FEE_COLUMNS: Column[] = [
  { width: 182 },
  { width: 168 },
  { width: 56, align: "right" },
  { width: CONTENT_WIDTH - 182 - 168 - 56, align: "right" },
];

/**
 * Same content as the web page (components/consequences.tsx, FeeDetails): the waiver sentence
 * when there is no fee, otherwise one line per computation step and the total.
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
      t("fees.computation", {
        duration: duration(t, line),
        monthly: f.money(line.monthlyCents, fee.currency),
      }),
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

function withdrawal(data: TerminationLetterData, t: LetterText, f: Formats): Block[] {
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
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    // The footer sits below the bottom margin: without this pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    doc.markContent("Artifact", { type: "Pagination" });
    doc
      .moveTo(MARGIN.left, FOOTER_TOP)
      .lineTo(PAGE_WIDTH - MARGIN.right, FOOTER_TOP)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    const options = { lineBreak: false, width: CONTENT_WIDTH } as const;
    doc
      .font("regular")
      .fontSize(SIZE.small)
      .fillColor(COLOR.muted)
      .text(
        t("footer.reference", { operator: data.operator.legalName, reference: data.caseReference }),
        MARGIN.left,
        FOOTER_TOP + 6,
        options,
      )
      .text(
        t("footer.page", { page: String(index - start + 1), pages: String(count) }),
        MARGIN.left,
        FOOTER_TOP + 6,
        { ...options, align: "right" },
      );
    doc.endMarkedContent();
  }
}

// pdfkit computes the file ID from the info dictionary at construction; we pin it to the case's
// document key instead (TOOLCHAIN.md). `_id` is pdfkit's own field, not in its typings.

export async function renderTerminationLetter(data: TerminationLetterData): Promise<Buffer> {
  const t = letterText(letterTemplate(data.jurisdiction, data.language));
  const locale = LOCALES[data.language];
  const receivedAt = new Date(data.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) {
    throw new RangeError(`bad receivedAt: ${data.receivedAt}`);
  }

  const { doc, bytes: done } = createArchivalPdf({
    margins: MARGIN,
    locale,
    title: `${t("document.title")} — ${data.caseReference}`,
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
