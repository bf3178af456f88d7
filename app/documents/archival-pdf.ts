import { createHash } from "node:crypto";
import PDFDocument from "pdfkit";
import { loadLetterFontsInto } from "./fonts";

// What every document the portal produces shares: A4, PDF/A-2b, tagged, our embedded fonts, and
// determinism — the dates and the document ID are pinned, so the same data gives the same bytes.

/** A readable file name folded to safe ASCII: `Lettre de résiliation RX-…` → `Lettre-de-resiliation-RX-…`. */
export function safeFileName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
}

/** pdfkit copies Title/Author into the XMP packet unescaped: keep them well-formed XML. */
function xmpSafe(text: string): string {
  return text.replace(/&/g, "+").replace(/[<>]/g, "");
}

type DocumentWithId = PDFKit.PDFDocument & { _id: Uint8Array };

export interface ArchivalPdf {
  doc: PDFKit.PDFDocument;
  /** Resolves with the bytes once `doc.end()` has been called. */
  bytes: Promise<Buffer>;
}

export function createArchivalPdf(options: {
  margins: { top: number; bottom: number; left: number; right: number };
  locale: string;
  title: string;
  author: string;
  /** CreationDate and ModDate. */
  date: Date;
  /** Seeds the PDF's document ID. */
  idSeed: string;
}): ArchivalPdf {
  const doc = new PDFDocument({
    size: "A4",
    margins: options.margins,
    // No default font: pdfkit would load Helvetica, which is never embedded (not PDF/A). Ours are
    // registered under names (loadLetterFontsInto), so that switching fonts is a lookup: a parsed
    // font given here would be compared again with the loaded one on every switch.
    font: "",
    pdfVersion: "1.7",
    subset: "PDF/A-2b",
    tagged: true,
    lang: options.locale,
    displayTitle: true,
    bufferPages: true,
    info: {
      Title: xmpSafe(options.title),
      Author: xmpSafe(options.author),
      Creator: "Easy Exit",
      Producer: "Easy Exit (PDFKit)",
      CreationDate: options.date,
      ModDate: options.date,
    },
  });
  (doc as DocumentWithId)._id = createHash("md5").update(options.idSeed).digest();
  // pdfkit writes xmp:CreateDate but not xmp:ModifyDate; PDF/A wants the Info ModDate mirrored.
  doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${options.date.toISOString().split(".")[0]}Z</xmp:ModifyDate>
        </rdf:Description>
        `);
  loadLetterFontsInto(doc);
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, bytes };
}
