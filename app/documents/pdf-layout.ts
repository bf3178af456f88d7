// Page geometry, style and the block layout shared by the documents rendered on A4 (the
// termination letter, the evidence summary): sections of headings, paragraphs, lists and tables,
// tagged for PDF/A, that never split a short section or a table row across pages.

// ---------------------------------------------------------------------------------------------
// Page geometry and style (points; A4 = 595.28 × 841.89)

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MARGIN = { top: 48, bottom: 72, left: 57, right: 57 };
export const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
export const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom;
export const FOOTER_TOP = PAGE_HEIGHT - 50;
export const COLOR = {
  text: "#1f2933",
  muted: "#52606d",
  accent: "#1a4d8f",
  rule: "#cbd2d9",
  tint: "#eef2f7",
};
export const SIZE = { small: 8, body: 9.5, h3: 10, h2: 11.5, title: 16, operator: 13 };
export const LINE_GAP = 1.5;
export const PARAGRAPH_GAP = 5;
export const CELL_PADDING = { x: 5, y: 3.5 };

export type FontName = "regular" | "bold";
export type Struct = PDFKit.PDFStructureElement;

// ---------------------------------------------------------------------------------------------
// Layout. Sections are lists of blocks, measured before they are drawn when they end near the
// bottom of a page, so that a short section never splits across pages. Every piece of text is
// drawn inside a structure element (tagged PDF); rules, backgrounds, repeated table headers and
// page footers are marked as artifacts.

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
  x?: number;
  width?: number;
  align?: "left" | "right" | "center";
  gapAfter?: number;
}

export interface Column {
  width: number;
  align?: "left" | "right";
  /** Font size of the column's cells (not of its header), e.g. smaller for a long hash. */
  size?: number;
}

export interface Row {
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

export type Block =
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
  // A row of headers keeps the header size.
  const isHeaderRow = row.headerCells !== undefined && row.headerCells >= row.cells.length;
  return {
    font: row.cellFonts?.[index] ?? row.font,
    size: isHeaderRow ? size : (column?.size ?? size),
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

/**
 * The footer of every page, drawn once the body is laid out (pages buffered): a rule, `left` and
 * the page number `right(page, pages)`, tagged as a pagination artifact for PDF/A.
 */
export function drawPageFooters(
  doc: PDFKit.PDFDocument,
  left: string,
  right: (page: number, pages: number) => string,
): void {
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
      .text(left, MARGIN.left, FOOTER_TOP + 6, options)
      .text(right(index - start + 1, count), MARGIN.left, FOOTER_TOP + 6, {
        ...options,
        align: "right",
      });
    doc.endMarkedContent();
  }
}

export class Layout {
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
