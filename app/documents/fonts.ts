import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

// The letters' typeface: DejaVu Sans Condensed (regular + bold) from the npm package
// `dejavu-fonts-ttf`, so that every machine embeds the same bytes (PDF/A forbids relying on
// system fonts). It covers Latin-1, « », €, ’ and the narrow no-break space U+202F that
// Intl.NumberFormat('fr-FR') puts in amounts. The condensed cut fits a four-column fee table on A4.

/** The part of a parsed fontkit font that this project relies on. */
export interface ParsedFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): unknown;
}

export interface LetterFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

const requireHere = createRequire(import.meta.url);

// fontkit is pdfkit's own parser. We load it from pdfkit's location rather than declaring it as a
// dependency of ours: we get exactly the copy pdfkit was built against.
interface Fontkit {
  create(data: Uint8Array): unknown;
}
const fontkit = createRequire(requireHere.resolve("pdfkit"))("fontkit") as Fontkit;

function isParsedFont(value: unknown): value is ParsedFont {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<ParsedFont>).layout === "function" &&
    typeof (value as Partial<ParsedFont>).hasGlyphForCodePoint === "function"
  );
}

interface FontkitGlyph {
  _decode?: () => unknown;
}
interface FontkitFontInternals {
  getGlyph(id: number, characters?: number[]): FontkitGlyph | null;
}

/**
 * Every letter embeds a subset of the font, and fontkit decodes the outline of each glyph it
 * copies into a subset again for every document, only to find out whether the glyph is made of
 * others (40 % of the subsetting time). The outline of a glyph never changes: each glyph of this
 * font decodes it once. fontkit keeps one glyph object per glyph id, and only reads the outline.
 */
function decodeGlyphsOnce(font: ParsedFont): void {
  const internals = font as unknown as FontkitFontInternals;
  const getGlyph = internals.getGlyph.bind(font);
  const memoised = new WeakSet<FontkitGlyph>();
  internals.getGlyph = (id, characters) => {
    const glyph = getGlyph(id, characters);
    const decode = glyph?._decode?.bind(glyph);
    if (glyph && decode && !memoised.has(glyph)) {
      let outline: { value: unknown } | undefined;
      glyph._decode = () => (outline ??= { value: decode() }).value;
      memoised.add(glyph);
    }
    return glyph;
  };
}

function parseFont(file: string): ParsedFont {
  const font = fontkit.create(readFileSync(requireHere.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
  // A .ttc collection would come back as a collection, not a font: fail here, not mid-letter.
  if (!isParsedFont(font)) throw new Error(`${file} is not a single TrueType font`);
  decodeGlyphsOnce(font);
  return font;
}

let fonts: LetterFonts | undefined;

/**
 * The letter fonts, parsed once per process: pdfkit re-parses a font given as a path or a buffer
 * for every document, ≈ 30 ms of a letter's render time.
 */
export function letterFonts(): LetterFonts {
  fonts ??= {
    regular: parseFont("DejaVuSansCondensed.ttf"),
    bold: parseFont("DejaVuSansCondensed-Bold.ttf"),
  };
  return fonts;
}

/**
 * pdfkit 0.20 accepts an already-parsed fontkit font wherever it takes a font (its font factory
 * recognises one by its `layout()` method); @types/pdfkit 0.17 only declares paths and buffers.
 */
function asPdfkitFont(font: ParsedFont): string {
  return font as unknown as string;
}

export type LetterFontName = keyof LetterFonts;

// pdfkit's per-document font object keeps the words it has shaped (kerning, ligatures) in
// `layoutCache`, scaled to its 1000-unit space and never modified afterwards. Shaping is most of
// a letter's render time and letters share most of their words, so every document gets the same
// cache per font. Renewed now and then: names and addresses would otherwise pile up. Without the
// field (another pdfkit version) nothing breaks: each document shapes its own words again.
interface PdfkitInternals {
  _font?: { layoutCache?: unknown };
}
const LETTERS_PER_CACHE = 1_000;
let sharedLayoutCaches: Record<LetterFontName, Record<string, unknown>> | undefined;
let lettersOnCache = 0;

/**
 * Registers the letter fonts as "regular" and "bold" in a new document (whose constructor must
 * have been given `font: ""`, see renderTerminationLetter) and selects "regular".
 */
export function loadLetterFontsInto(doc: PDFKit.PDFDocument): void {
  const fonts = letterFonts();
  if (!sharedLayoutCaches || lettersOnCache >= LETTERS_PER_CACHE) {
    sharedLayoutCaches = { regular: Object.create(null), bold: Object.create(null) };
    lettersOnCache = 0;
  }
  lettersOnCache += 1;
  for (const name of ["bold", "regular"] as const) {
    doc.registerFont(name, asPdfkitFont(fonts[name]));
    doc.font(name);
    const font = (doc as PDFKit.PDFDocument & PdfkitInternals)._font;
    if (font && "layoutCache" in font) font.layoutCache = sharedLayoutCaches[name];
  }
}
