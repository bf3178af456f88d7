import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import { JsonbCanonical } from "./jsonb-canonical";

/** What `data::text` looks like: `: ` and `, ` separators, keys by byte length then bytes. */
function jsonbText(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(", ")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(
    (a, b) =>
      Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbText(record[key])}`).join(", ")}}`;
}

/** The canonical text, or null when the fast path declines. */
function canonical(text: string): string | null {
  const src = Buffer.from(text);
  const out = Buffer.alloc(src.length + 16);
  const at = new JsonbCanonical().write(src, 0, src.length, out, 0);
  return at === -1 ? null : out.toString("utf8", 0, at);
}

describe("canonical JSON from jsonb text", () => {
  it("handles the audit trail's data without parsing", () => {
    const values = [
      { view: "detail" },
      {},
      {
        emailId: "a1",
        kind: "acknowledgment",
        attempt: 1,
        outcome: "sent",
        smtpMessageId: "<x@y>",
      },
      { items: [{ equipmentId: "e1", condition: "ok" }], returnNumber: "RT-0000-0001", list: [] },
      { amountCents: -7900, ratio: 0.25, tiny: 0.000001, flag: true, none: null, no: false },
      { nested: { zeta: [1, [2, "ü"]], alpha: "日本" }, "": "empty key" },
      [1, "two", { b: 2, a: 1 }],
      "text",
      42,
    ];
    for (const value of values) expect(canonical(jsonbText(value))).toBe(canonicalJson(value));
  });

  it("declines what it cannot write exactly as canonicalJson would", () => {
    for (const text of [
      '{"é": 1}', // non-ASCII key: UTF-16 order is not byte order everywhere
      '{"a": 1.50}', // Postgres keeps the trailing zero, JavaScript does not
      '{"a": 1000000000000000000000}', // JavaScript writes 1e+21
      '{"a": 0.0000001}', // … and 1e-7
      '{"a": 1234567890123456}', // beyond 15 digits a double may not round-trip
      '{"a": -0}',
      '{"a": "say \\"hi\\""}', // escapes: the caller parses
      '{"a": 1',
      '{"a" : 1}',
      "nope",
    ])
      expect(canonical(text), text).toBeNull();
  });

  it("equals canonicalJson whenever it answers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const answer = canonical(jsonbText(value));
        if (answer !== null) expect(answer).toBe(canonicalJson(value));
      }),
      { numRuns: 2_000 },
    );
  });
});
