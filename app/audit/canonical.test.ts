import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

describe("canonical JSON", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: "é" }, u: undefined })).toBe(
      '{"a":{"c":"é","d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("gives the same text whatever the key order, and round-trips through JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reordered = JSON.parse(JSON.stringify(value), (_key, member: unknown) =>
          member && typeof member === "object" && !Array.isArray(member)
            ? Object.fromEntries(Object.entries(member).reverse())
            : member,
        );
        expect(canonicalJson(reordered)).toBe(text);
      }),
    );
  });

  it("equals the straightforward definition (entries sorted with <, undefined dropped)", () => {
    const definition = (value: unknown): string => {
      if (value === null || typeof value !== "object") return JSON.stringify(value);
      if (Array.isArray(value))
        return `[${value.map((item) => definition(item ?? null)).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${definition(member)}`).join(",")}}`;
    };
    fc.assert(
      fc.property(
        fc
          .jsonValue()
          .chain((json) =>
            fc.constantFrom(json, { wrapped: json, missing: undefined, é: [json, undefined] }),
          ),
        (value) => {
          expect(canonicalJson(value)).toBe(definition(value));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses values JSON cannot carry faithfully", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ n: 1n })).toThrow();
  });
});
