import { describe, expect, it } from "vitest";
import { unzip } from "../../tests/setup/unzip";
import { sha256Hex, uniquePaths, zipArchiveBytes } from "./zip-archive.server";

// The archives the portal streams (evidence pack, subject-access export), read back with yauzl.

const MADE = new Date("2026-11-24T08:00:00.000Z");
const files = [
  { path: "summary.pdf", bytes: Buffer.from("%PDF-1.7 résumé") },
  { path: "documents/photo.png", bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
  { path: "events.jsonl", bytes: Buffer.from('{"seq":1}\n'.repeat(200)) },
];

describe("zipArchive", () => {
  it("keeps the order and the bytes of the files, every entry dated when the archive was made", async () => {
    const entries = await unzip(await zipArchiveBytes(files, MADE));
    expect(entries.map((entry) => entry.name)).toEqual(files.map((file) => file.path));
    entries.forEach((entry, index) => {
      expect(sha256Hex(entry.bytes)).toBe(sha256Hex(files[index]!.bytes));
      expect(entry.mtime.getTime()).toBe(MADE.getTime());
    });
  });

  it("gives the same bytes for the same files, and other bytes at another time", async () => {
    const first = await zipArchiveBytes(files, MADE);
    const second = await zipArchiveBytes(files, MADE);
    const later = await zipArchiveBytes(files, new Date("2026-11-24T09:00:00.000Z"));
    expect(first.equals(second)).toBe(true);
    expect(first.equals(later)).toBe(false);
  });

  it("refuses two files at one path", async () => {
    await expect(zipArchiveBytes([files[0]!, files[0]!], MADE)).rejects.toThrow(
      "duplicate path in archive: summary.pdf",
    );
  });
});

describe("uniquePaths", () => {
  it("numbers the second file of a name, and folds what is not safe ASCII", () => {
    expect(
      uniquePaths("documents", ["photo.png", "photo.png", "lettre.pdf", "photo.png", "été/x.pdf"]),
    ).toEqual([
      "documents/photo.png",
      "documents/photo-2.png",
      "documents/lettre.pdf",
      "documents/photo-3.png",
      "documents/_t__x.pdf",
    ]);
    expect(uniquePaths("documents", ["..", ""])).toEqual(["documents/_", "documents/file"]);
  });
});
