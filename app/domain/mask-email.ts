/**
 * An email address with its local part hidden but for the first character: `c•••@example.com`.
 * Enough to tell one recipient from another in a record handed to a third party (the evidence
 * pack), not enough to write to them. A value without `@` is hidden whole.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "•••";
  const first = Array.from(address.slice(0, at))[0] ?? "";
  return `${first}•••${address.slice(at)}`;
}
