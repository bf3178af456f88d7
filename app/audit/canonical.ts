/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped
 * (as JSON does). The same value always gives the same string, whatever the key order it was
 * built or stored with (jsonb reorders keys), so a hash over it is reproducible by a third party.
 *
 * Written with plain loops: verifying the whole audit trail canonicalises a million `data`
 * objects, and this shape is several times faster than entries/filter/sort/map/join.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new TypeError("non-finite number in audit data");
    if (typeof value === "bigint") throw new TypeError("bigint in audit data");
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ",";
      out += canonicalJson((value[i] as unknown) ?? null);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
