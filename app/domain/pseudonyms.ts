import { createHash } from "node:crypto";
import { nameKey } from "./names";

// The stable pseudonyms that replace personal data when the retention period is over. Derived
// from the row's own id, so the same subscriber always gets the same pseudonym (a rerun writes
// the same values) and nothing of the person goes into it. Server-only (node:crypto).

/** Crockford's base 32: no I, L, O, U — read and typed without confusion. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function digest(seed: string): Buffer {
  return createHash("sha256").update(seed).digest();
}

/** Six characters of base 32 (30 bits) from the id: `7F3K9Q`. */
export function pseudonymCode(id: string): string {
  const bytes = digest(`pseudonym:${id}`);
  let value = bytes.readUInt32BE(0) * 4 + (bytes[4]! >> 6);
  let code = "";
  for (let i = 0; i < 6; i += 1) {
    code = CROCKFORD[value % 32]! + code;
    value = Math.floor(value / 32);
  }
  return code;
}

export const PSEUDONYM_FIRST_NAME = "Pseudonyme";

/** The name fields of a pseudonymised person: "Pseudonyme 7F3K9Q", and its matching key. */
export function pseudonymousName(id: string): {
  firstName: string;
  lastName: string;
  nameKey: string;
} {
  const lastName = pseudonymCode(id);
  return {
    firstName: PSEUDONYM_FIRST_NAME,
    lastName,
    nameKey: nameKey(PSEUDONYM_FIRST_NAME, lastName),
  };
}

/** An address that cannot receive mail (RFC 2606 `.example`, RFC 6761 `invalid`). */
export function pseudonymousEmail(id: string): string {
  return `pseudonymised+${id}@invalid.example`;
}

export function isPseudonymousEmail(address: string): boolean {
  return /^pseudonymised\+[0-9a-f-]{36}@invalid\.example$/.test(address);
}

/**
 * A line number that belongs to nobody: +999 (reserved by the ITU, never assigned) and 11
 * digits from the line's id. `attempt` > 0 gives another number when one is already taken
 * (line numbers are unique per operator).
 */
export function pseudonymousLineNumber(lineId: string, attempt = 0): string {
  const bytes = digest(`line:${lineId}:${attempt}`);
  const value = bytes.readBigUInt64BE(0) % 100_000_000_000n;
  return `+999${value.toString().padStart(11, "0")}`;
}

export function isPseudonymousLineNumber(phoneNumber: string): boolean {
  return /^\+999\d{11}$/.test(phoneNumber);
}
