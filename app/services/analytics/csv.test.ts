import { describe, expect, it } from "vitest";
import { csvPercent, toCsv } from "./csv";

describe("toCsv", () => {
  it("writes a header row and CRLF lines, numbers as is and null as an empty field", () => {
    expect(
      toCsv(
        ["week_start", "answers", "share"],
        [
          ["2026-11-16", 1234, 41.2],
          ["2026-11-23", 0, null],
        ],
      ),
    ).toBe("week_start,answers,share\r\n2026-11-16,1234,41.2\r\n2026-11-23,0,\r\n");
  });

  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(toCsv(["name"], [['Fibre, "Pro"'], ["a\nb"], ["=HYPERLINK(1)"], ["-5 €"]])).toBe(
      'name\r\n"Fibre, ""Pro"""\r\n"a\nb"\r\n\'=HYPERLINK(1)\r\n\'-5 €\r\n',
    );
  });

  it("keeps accented labels as they are, and quotes a label holding a comma", () => {
    expect(toCsv(["Région", "Réponses"], [["Provence-Alpes-Côte d'Azur, Corse", 3]])).toBe(
      'Région,Réponses\r\n"Provence-Alpes-Côte d\'Azur, Corse",3\r\n',
    );
  });

  it("writes ratios as percentages with one decimal", () => {
    expect(csvPercent(1 / 3)).toBe(33.3);
    expect(csvPercent(0.41236)).toBe(41.2);
    expect(csvPercent(1)).toBe(100);
    expect(csvPercent(null)).toBeNull();
  });
});
