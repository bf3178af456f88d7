import { fromBuffer, type Entry, type ZipFile } from "yauzl";

export interface UnzippedEntry {
  name: string;
  bytes: Buffer;
  /** The entry's modification time (from the Info-ZIP extended timestamp when present). */
  mtime: Date;
}

function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve(Buffer.concat(chunks)));
      stream.on("error", reject);
    });
  });
}

/**
 * Every entry of a ZIP archive, in the archive's order, read with yauzl (which checks each
 * entry's CRC-32 and sizes as it reads, so a corrupt archive fails here).
 */
export function unzip(archive: Buffer): Promise<UnzippedEntry[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(archive, { lazyEntries: true, strictFileNames: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: UnzippedEntry[] = [];
      zip.on("entry", (entry: Entry) => {
        readEntry(zip, entry).then((bytes) => {
          entries.push({ name: entry.fileName, bytes, mtime: entry.getLastModDate() });
          zip.readEntry();
        }, reject);
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
