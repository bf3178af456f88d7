import { createArchivalPdf, safeFileName } from "./archival-pdf";
// The "node" entry point: the package root offers TypeScript's Bundler resolution no condition.
import bwipjs from "bwip-js/node";
import type { IsoDate } from "../domain/dates";
import type { ReturnLabelData } from "./return-label-data";
import {
  returnLabelTemplate,
  returnLabelText,
  type ReturnLabelText,
} from "./return-label-template";

// The return label (equipment returns): one A4 page, PDF/A-2b, tagged, with the letters' embedded
// font. The top half is the label to cut out and stick on the parcel (to, from, the return number
// as text, Code 128 and QR code); the bottom half is the packing slip (what goes in the parcel,
// how to send it). Pure: data in, bytes out, and the same data gives the same bytes (dates and
// document ID pinned to the return). Wording comes from templates/; this file only lays it out.
//
// The barcodes are vector graphics: bwip-js encodes the return number (`bwipjs.raw`: the bar and
// space widths of the Code 128, the module matrix of the QR code) and we draw the bars and modules
// as filled rectangles, crisp at any printer resolution and with no image to keep PDF/A-valid.

export const RETURN_LABEL_CONTENT_TYPE = "application/pdf";

/** e.g. `etiquette-retour-RT-7K3M-9QPD.pdf`: the template's name, folded to safe ASCII. */
export function returnLabelFileName(data: ReturnLabelData): string {
  const t = returnLabelText(returnLabelTemplate(data.jurisdiction, data.language));
  return safeFileName(t("document.fileName", { returnNumber: data.returnNumber }));
}

// ---------------------------------------------------------------------------------------------
// Page geometry and style (points; A4 = 595.28 × 841.89)

const MM = 72 / 25.4;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/** The dashed cut line around the label, 10 mm from the edges of the sheet. */
const CUT_INSET = 10 * MM;
const LABEL_PADDING = 5 * MM;
/** Text of the label and of the slip starts 15 mm from the left edge. */
const LEFT = CUT_INSET + LABEL_PADDING;
const RIGHT = PAGE_WIDTH - LEFT;
const WIDTH = RIGHT - LEFT;
/** The label fills the top half of the sheet at least: its cut line ends no higher than this. */
const LABEL_MIN_BOTTOM = 392;
const FOOTER_TOP = PAGE_HEIGHT - 52;
const SLIP_BOTTOM = FOOTER_TOP - 12;
const MARGIN = { top: LEFT, bottom: PAGE_HEIGHT - SLIP_BOTTOM, left: LEFT, right: LEFT };

const COLOR = {
  text: "#1f2933",
  muted: "#52606d",
  accent: "#1a4d8f",
  rule: "#cbd2d9",
  tint: "#eef2f7",
  ink: "#000000",
  paper: "#ffffff",
};
const LINE_GAP = 1.5;

/** Code 128: ≈ 70 × 18 mm of bars, and the quiet zone of 10 modules that the standard requires. */
const CODE128 = { width: 70 * MM, height: 18 * MM, quietModules: 10 };
/** QR code: ≈ 30 mm of modules and its quiet zone of 4 modules. */
const QR = { size: 30 * MM, quietModules: 4 };

type FontName = "regular" | "bold";
type Struct = PDFKit.PDFStructureElement;

const LOCALES: Record<ReturnLabelData["language"], string> = {
  fr: "fr-FR",
  en: "en-GB",
  pt: "pt-PT",
  de: "de-DE",
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A legal date (`YYYY-MM-DD`) written out in the language: « 31 décembre 2026 ». */
function longDate(date: IsoDate, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  let format = dateFormats.get(locale);
  if (!format) {
    // A calendar date has no time zone: format its UTC midnight in UTC.
    format = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  return format.format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))),
  );
}

// ---------------------------------------------------------------------------------------------
// Barcodes

/** Code 128 as alternating bar and space widths in modules, starting with a bar. */
function code128Widths(text: string): number[] {
  const [symbol] = bwipjs.raw({ bcid: "code128", text });
  if (!symbol || !("sbs" in symbol)) throw new Error("bwip-js returned no Code 128 pattern");
  return symbol.sbs;
}

interface Matrix {
  /** Row-major, 1 for a dark module. */
  cells: number[];
  columns: number;
  rows: number;
}

/**
 * QR code with error correction level Q (25 % of the symbol can be lost): a label gets scuffed
 * in transit, and a return number still fits the smallest symbol (21 × 21) at that level.
 */
function qrMatrix(text: string): Matrix {
  const [symbol] = bwipjs.raw("qrcode", text, "eclevel=Q");
  if (!symbol || !("pixs" in symbol)) throw new Error("bwip-js returned no QR code matrix");
  return { cells: symbol.pixs, columns: symbol.pixx, rows: symbol.pixy };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The Code 128 centred on `centerX`, quiet zone included, at most `maxWidth` wide. */
function code128Box(widths: number[], centerX: number, y: number, maxWidth: number) {
  const modules = widths.reduce((sum, width) => sum + width, 0);
  const module = Math.min(CODE128.width / modules, maxWidth / (modules + 2 * CODE128.quietModules));
  const width = (modules + 2 * CODE128.quietModules) * module;
  return { x: centerX - width / 2, y, width, height: CODE128.height, module };
}

function drawCode128(doc: PDFKit.PDFDocument, widths: number[], box: Box & { module: number }) {
  doc.rect(box.x, box.y, box.width, box.height).fillColor(COLOR.paper).fill();
  let x = box.x + CODE128.quietModules * box.module;
  widths.forEach((width, index) => {
    // Even entries are bars, odd ones spaces.
    if (index % 2 === 0) doc.rect(x, box.y, width * box.module, box.height);
    x += width * box.module;
  });
  doc.fillColor(COLOR.ink).fill();
}

/** The QR code with its quiet zone in a square of `size` points at (x, y). */
function drawQr(doc: PDFKit.PDFDocument, matrix: Matrix, x: number, y: number, size: number) {
  const module = size / (matrix.columns + 2 * QR.quietModules);
  doc.rect(x, y, size, size).fillColor(COLOR.paper).fill();
  const left = x + QR.quietModules * module;
  const top = y + QR.quietModules * module;
  for (let row = 0; row < matrix.rows; row += 1) {
    // One rectangle per run of dark modules: fewer path operations, no hairline seams.
    let column = 0;
    while (column < matrix.columns) {
      if (matrix.cells[row * matrix.columns + column] !== 1) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < matrix.columns && matrix.cells[row * matrix.columns + column] === 1) {
        column += 1;
      }
      doc.rect(left + start * module, top + row * module, (column - start) * module, module);
    }
  }
  doc.fillColor(COLOR.ink).fill();
}

// ---------------------------------------------------------------------------------------------
// Text

interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
  width?: number;
  align?: "left" | "right" | "center";
  characterSpacing?: number;
}

interface Context {
  data: ReturnLabelData;
  t: ReturnLabelText;
  locale: string;
  doc: PDFKit.PDFDocument;
  root: Struct;
}

function write(doc: PDFKit.PDFDocument, text: string, x: number, y: number, style: TextStyle) {
  doc
    .font(style.font ?? "regular")
    .fontSize(style.size ?? 9.5)
    .fillColor(style.color ?? COLOR.text)
    .text(text, x, y, {
      width: style.width ?? WIDTH,
      align: style.align ?? "left",
      lineGap: LINE_GAP,
      characterSpacing: style.characterSpacing ?? 0,
    });
}

function textHeight(doc: PDFKit.PDFDocument, text: string, style: TextStyle): number {
  return doc
    .font(style.font ?? "regular")
    .fontSize(style.size ?? 9.5)
    .heightOfString(text, {
      width: style.width ?? WIDTH,
      lineGap: LINE_GAP,
      characterSpacing: style.characterSpacing ?? 0,
    });
}

/** Draws a tagged text element at (x, y) and returns the y below it. */
function tagged(
  ctx: Context,
  parent: Struct,
  type: string,
  text: string,
  x: number,
  y: number,
  style: TextStyle,
): number {
  parent.add(ctx.doc.struct(type, {}, () => write(ctx.doc, text, x, y, style)));
  return ctx.doc.y;
}

function artifact(doc: PDFKit.PDFDocument, draw: () => void): void {
  doc.markContent("Artifact");
  draw();
  doc.endMarkedContent();
}

function rule(doc: PDFKit.PDFDocument, y: number, color = COLOR.rule): void {
  artifact(doc, () =>
    doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.6).strokeColor(color).stroke(),
  );
}

/** A small label above a block of the label: « DESTINATAIRE ». */
function caption(ctx: Context, parent: Struct, text: string, x: number, y: number, width: number) {
  return tagged(ctx, parent, "P", text.toLocaleUpperCase(ctx.locale), x, y, {
    font: "bold",
    size: 8,
    color: COLOR.muted,
    width,
    characterSpacing: 0.6,
  });
}

// ---------------------------------------------------------------------------------------------
// The label (top half): returns where its cut line ends

function label(ctx: Context): number {
  const { data, t, doc } = ctx;
  const sect = doc.struct("Sect");
  ctx.root.add(sect);

  const top = CUT_INSET + LABEL_PADDING;
  let y = tagged(
    ctx,
    sect,
    "P",
    t("label.title", { operator: data.operator.displayName }),
    LEFT,
    top,
    {
      font: "bold",
      size: 10,
      color: COLOR.accent,
      width: WIDTH,
    },
  );

  // To: the warehouse, large, on the left; the QR code on the right.
  const qr = qrMatrix(data.returnNumber);
  const qrSize = QR.size * (1 + (2 * QR.quietModules) / qr.columns);
  const qrX = RIGHT - qrSize;
  const toWidth = qrX - LEFT - 12;
  y = caption(ctx, sect, t("label.to"), LEFT, y + 8, toWidth);
  y = tagged(ctx, sect, "P", data.returnAddressLines.join("\n"), LEFT, y + 3, {
    font: "bold",
    size: 15,
    width: toWidth,
  });
  sect.add(
    doc.struct("Figure", { alt: t("label.qrAlt", { returnNumber: data.returnNumber }) }, () =>
      drawQr(doc, qr, qrX, top, qrSize),
    ),
  );
  y = Math.max(y, top + qrSize) + 10;
  rule(doc, y);

  // From: the subscriber on the left; the return number on the right.
  const half = (WIDTH - 16) / 2;
  const rightX = LEFT + half + 16;
  const fromTop = y + 10;
  let fromY = caption(ctx, sect, t("label.from"), LEFT, fromTop, half);
  fromY = tagged(ctx, sect, "P", data.sender.name, LEFT, fromY + 3, {
    font: "bold",
    size: 11,
    width: half,
  });
  if (data.sender.addressLines.length > 0) {
    fromY = tagged(ctx, sect, "P", data.sender.addressLines.join("\n"), LEFT, fromY + 1, {
      size: 10,
      width: half,
    });
  }
  let numberY = caption(ctx, sect, t("label.returnNumber"), rightX, fromTop, half);
  numberY = tagged(ctx, sect, "P", data.returnNumber, rightX, numberY + 2, {
    font: "bold",
    size: 26,
    width: half,
    characterSpacing: 1.5,
  });
  y = Math.max(fromY, numberY) + 14;

  // The Code 128, at the foot of the label, with its text below for a person to read.
  const widths = code128Widths(data.returnNumber);
  const humanReadable: TextStyle = { size: 9, align: "center", characterSpacing: 2 };
  const textGap = 3;
  const footHeight = CODE128.height + textGap + textHeight(doc, data.returnNumber, humanReadable);
  const barcodeTop = Math.max(y, LABEL_MIN_BOTTOM - LABEL_PADDING - footHeight);
  const box = code128Box(widths, PAGE_WIDTH / 2, barcodeTop, WIDTH);
  sect.add(
    doc.struct("Figure", { alt: t("label.code128Alt", { returnNumber: data.returnNumber }) }, () =>
      drawCode128(doc, widths, box),
    ),
  );
  // The same number is already in the structure (above, and in the figure's alternate text).
  artifact(doc, () =>
    write(doc, data.returnNumber, box.x, barcodeTop + CODE128.height + textGap, {
      ...humanReadable,
      width: box.width,
    }),
  );
  const bottom = barcodeTop + footHeight + LABEL_PADDING;

  // The cut line, and how to use the label.
  artifact(doc, () => {
    doc
      .rect(CUT_INSET, CUT_INSET, PAGE_WIDTH - 2 * CUT_INSET, bottom - CUT_INSET)
      .lineWidth(0.8)
      .dash(5, { space: 3 })
      .strokeColor(COLOR.muted)
      .stroke()
      .undash();
    // Scissors on the cut line, on a patch of paper that interrupts the dashes.
    doc
      .rect(CUT_INSET + 14, bottom - 6, 16, 12)
      .fillColor(COLOR.paper)
      .fill();
    write(doc, "✂", CUT_INSET + 15, bottom - 6.5, { size: 11, color: COLOR.muted, width: 16 });
  });
  sect.end();
  return bottom;
}

// ---------------------------------------------------------------------------------------------
// The packing slip (bottom half)

/** Starts a new page when `height` more points do not fit on this one. */
function ensureSpace(doc: PDFKit.PDFDocument, y: number, height: number): number {
  if (y + height <= SLIP_BOTTOM) return y;
  doc.addPage();
  return MARGIN.top;
}

function heading(ctx: Context, parent: Struct, text: string, y: number): number {
  const style: TextStyle = { font: "bold", size: 11.5, color: COLOR.accent };
  y = ensureSpace(ctx.doc, y, textHeight(ctx.doc, text, style) + 40);
  const below = tagged(ctx, parent, "H2", text, LEFT, y, style);
  rule(ctx.doc, below + 1);
  return below + 7;
}

function facts(ctx: Context, parent: Struct, y: number): number {
  const { data, t, doc } = ctx;
  const rows: [string, string][] = [
    [t("slip.caseReference"), data.caseReference],
    [t("slip.returnNumber"), data.returnNumber],
    [t("slip.deadline"), longDate(data.deadline, ctx.locale)],
  ];
  const labelWidth = 170;
  const padding = { x: 5, y: 3.5 };
  const table = doc.struct("Table");
  parent.add(table);
  for (const [name, value] of rows) {
    const valueStyle: TextStyle = { font: "bold", width: WIDTH - labelWidth - 2 * padding.x };
    const nameStyle: TextStyle = { color: COLOR.muted, width: labelWidth - 2 * padding.x };
    const height =
      Math.max(textHeight(doc, name, nameStyle), textHeight(doc, value, valueStyle)) +
      2 * padding.y;
    y = ensureSpace(doc, y, height);
    const rowTop = y;
    artifact(doc, () => {
      doc.rect(LEFT, rowTop, WIDTH, height).fillColor(COLOR.tint).fill();
      doc
        .moveTo(LEFT, rowTop + height)
        .lineTo(RIGHT, rowTop + height)
        .lineWidth(0.5)
        .strokeColor(COLOR.paper)
        .stroke();
    });
    const tr = doc.struct("TR");
    table.add(tr);
    tr.add(
      doc.struct("TH", {}, () => write(doc, name, LEFT + padding.x, rowTop + padding.y, nameStyle)),
    );
    tr.add(
      doc.struct("TD", {}, () =>
        write(doc, value, LEFT + labelWidth + padding.x, rowTop + padding.y, valueStyle),
      ),
    );
    tr.end();
    y = rowTop + height;
  }
  table.end();
  return y + 14;
}

/** A list (L > LI > Lbl + LBody) whose labels are check boxes or numbers. */
function list(
  ctx: Context,
  parent: Struct,
  items: { label: string; lines: { text: string; style: TextStyle }[] }[],
  y: number,
  labelStyle: TextStyle,
  /** Moves the label up or down against the first line of its item (a larger check box). */
  labelOffset = 0,
): number {
  const { doc } = ctx;
  const indent = 20;
  const bodyX = LEFT + indent;
  const bodyWidth = WIDTH - indent;
  const l = doc.struct("L");
  parent.add(l);
  for (const item of items) {
    const height = item.lines.reduce(
      (sum, line) => sum + textHeight(doc, line.text, { ...line.style, width: bodyWidth }) + 1,
      0,
    );
    y = ensureSpace(doc, y, height);
    const itemTop = y;
    const li = doc.struct("LI");
    l.add(li);
    li.add(
      doc.struct("Lbl", {}, () =>
        write(doc, item.label, LEFT, itemTop + labelOffset, { ...labelStyle, width: indent }),
      ),
    );
    const body = doc.struct("LBody");
    li.add(body);
    let lineY = itemTop;
    for (const line of item.lines) {
      body.add(
        doc.struct("P", {}, () =>
          write(doc, line.text, bodyX, lineY, { ...line.style, width: bodyWidth }),
        ),
      );
      lineY = doc.y + 1;
    }
    body.end();
    li.end();
    y = lineY + 5;
  }
  l.end();
  return y;
}

function packingSlip(ctx: Context, top: number): void {
  const { data, t, doc } = ctx;
  const sect = doc.struct("Sect");
  ctx.root.add(sect);
  let y = tagged(ctx, sect, "H1", t("slip.title"), LEFT, top, {
    font: "bold",
    size: 16,
    color: COLOR.accent,
  });
  y = facts(ctx, sect, y + 8);

  y = heading(ctx, sect, t("slip.itemsHeading"), y);
  y = list(
    ctx,
    sect,
    data.items.map((item) => ({
      // A box to tick while packing (U+2610 BALLOT BOX, in the embedded font).
      label: "☐",
      lines: [
        {
          text: t("slip.item", { kind: t(`kind.${item.kind}`), model: item.model }),
          style: { font: "bold", size: 10.5 },
        },
        ...(item.serial
          ? [{ text: t("slip.serial", { serial: item.serial }), style: { color: COLOR.muted } }]
          : []),
      ],
    })),
    y,
    { size: 14, color: COLOR.text },
    -2.5,
  );

  y = heading(ctx, sect, t("instructions.heading"), y + 6);
  const steps = [t("instructions.pack"), t("instructions.label"), t("instructions.receipt")];
  y = list(
    ctx,
    sect,
    steps.map((text, index) => ({ label: `${index + 1}.`, lines: [{ text, style: {} }] })),
    y,
    { font: "bold", color: COLOR.accent },
  );
  const sim = t("instructions.sim");
  y = ensureSpace(doc, y, textHeight(doc, sim, { font: "bold" }));
  tagged(ctx, sect, "P", sim, LEFT, y + 2, { font: "bold" });
  sect.end();
}

/**
 * The operator's identity at the foot of every page: tagged on the first (it is said nowhere
 * else), an artifact on the others.
 */
function footers(ctx: Context): void {
  const { data, t, doc } = ctx;
  const lines = [
    t("footer.identity", {
      legalName: data.operator.legalName,
      registrationNumber: data.operator.registrationNumber,
    }),
    t("footer.contact", { email: data.operator.supportEmail, returnNumber: data.returnNumber }),
  ].join("\n");
  const style: TextStyle = { size: 8, color: COLOR.muted, align: "center" };
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index += 1) {
    doc.switchToPage(index);
    // The footer sits below the bottom margin: without this pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    rule(doc, FOOTER_TOP);
    if (index === start) {
      tagged(ctx, ctx.root, "P", lines, LEFT, FOOTER_TOP + 6, style);
    } else {
      doc.markContent("Artifact", { type: "Pagination" });
      write(doc, lines, LEFT, FOOTER_TOP + 6, style);
      doc.endMarkedContent();
    }
  }
}

// pdfkit computes the file ID from the info dictionary at construction; we pin it to the return
// instead. `_id` is pdfkit's own field, not in its typings.

export async function renderReturnLabel(data: ReturnLabelData): Promise<Buffer> {
  const t = returnLabelText(returnLabelTemplate(data.jurisdiction, data.language));
  const locale = LOCALES[data.language];
  const createdAt = new Date(data.createdAt);
  if (Number.isNaN(createdAt.getTime())) throw new RangeError(`bad createdAt: ${data.createdAt}`);
  if (data.items.length === 0) throw new RangeError("a return label needs at least one item");

  const { doc, bytes: done } = createArchivalPdf({
    margins: MARGIN,
    locale,
    title: `${t("document.title")} — ${data.returnNumber}`,
    author: data.operator.legalName,
    date: createdAt,
    idSeed: `return_label:${data.returnNumber}:${data.createdAt}`,
  });

  const root = doc.struct("Document");
  doc.addStructure(root);
  const ctx: Context = { data, t, locale, doc, root };
  const labelBottom = label(ctx);
  const hintBottom = tagged(ctx, root, "P", t("label.cutHere"), LEFT, labelBottom + 6, {
    size: 8,
    color: COLOR.muted,
    align: "center",
  });
  packingSlip(ctx, hintBottom + 22);
  footers(ctx);
  root.end();
  doc.end();
  return done;
}
