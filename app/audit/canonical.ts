/**
 * Canonical JSON: object keys sorted by code point, no whitespace, `undefined` members dropped
 * (as JSON does). The same value always gives the same string, whatever the key order it was
 * built or stored with (jsonb reorders keys), so a hash over it is reproducible by a third party.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new TypeError("non-finite number in audit data");
    if (typeof value === "bigint") throw new TypeError("bigint in audit data");
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
}
