// CSV as RFC 4180 writes it: comma-separated, CRLF line ends, fields quoted when they hold a
// comma, a quote or a line break. Numbers are written as JavaScript prints them (no thousands
// separator, a dot for decimals); null is an empty field.

export type CsvValue = string | number | null;

/**
 * A UTF-8 byte order mark at the start of a downloaded file: without it, Excel reads a CSV as
 * Windows-1252 and shows "RÃ©ponses" for "Réponses". Other tools skip it.
 */
export const CSV_BOM = "\uFEFF";

/**
 * Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a
 * leading apostrophe (OWASP "CSV injection"): region and offer names come from operator data.
 */
function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function field(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(field).join(",")}\r\n`).join("");
}

/** A ratio as a percentage with one decimal (0.41236 → 41.2), or null when undefined. */
export function csvPercent(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 10;
}
