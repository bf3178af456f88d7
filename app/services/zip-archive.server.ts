import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { ZipFile } from "yazl";

// ZIP archives made on request and streamed to the browser (the evidence pack, the
// subject-access export), with yazl. Deterministic: the entries go in the order given, each
// with the same fixed time and mode, so the same files give the same bytes (in one time zone:
// a ZIP's DOS timestamp is local time; the Info-ZIP extended timestamp beside it is UTC).

export interface ArchiveFile {
  /** Path inside the archive, `/`-separated, e.g. `documents/lettre.pdf`. */
  path: string;
  bytes: Buffer;
}

export const ZIP_CONTENT_TYPE = "application/zip";

/** Already-compressed formats: deflating them again only costs time. */
const STORED = /\.(png|jpe?g|webp|gif|zip|gz)$/i;

/** The SHA-256 (hex) of some bytes: what each manifest lists. */
export function sha256Hex(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The archive as a Node stream. Paths must be unique; every entry is dated `mtime` (file mode
 * 0644), so that unzipping shows when the archive was made rather than when it was streamed.
 */
export function zipArchive(files: readonly ArchiveFile[], mtime: Date): Readable {
  const seen = new Set<string>();
  const zip = new ZipFile();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`duplicate path in archive: ${file.path}`);
    seen.add(file.path);
    zip.addBuffer(file.bytes, file.path, {
      mtime,
      mode: 0o100644,
      compress: !STORED.test(file.path),
    });
  }
  zip.end();
  // yazl's outputStream is a stream.PassThrough: a Readable for Node's own stream helpers.
  return zip.outputStream as Readable;
}

/** The archive whole, in memory (tests, small archives). */
export async function zipArchiveBytes(files: readonly ArchiveFile[], mtime: Date): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of zipArchive(files, mtime)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A streamed ZIP download: private, never cached, with a readable ASCII file name. */
export function zipResponse(stream: Readable, fileName: string): Response {
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": ZIP_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * Unique archive paths for named files: the second `photo.png` becomes `photo-2.png`. Names are
 * already safe ASCII (documents are stored with such names); anything else is folded to `_`.
 */
export function uniquePaths(folder: string, names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const safe = name.replace(/[^\w.-]/g, "_").replace(/^\.+/, "_") || "file";
    const dot = safe.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [safe.slice(0, dot), safe.slice(dot)] : [safe, ""];
    let candidate = `${folder}/${safe}`;
    for (let n = 2; used.has(candidate); n += 1) candidate = `${folder}/${stem}-${n}${extension}`;
    used.add(candidate);
    return candidate;
  });
}
