// How the identify page reads the one reference a subscriber types: a customer number, a
// contract number or a phone number, written the way people write them.

export type ReferenceQuery =
  { kind: "customer_or_contract"; value: string } | { kind: "phone"; value: string };

/** French numbers as people type them (01 23 45 67 89, +33 1 23…, 0033…) → E.164. */
export function normalisePhoneNumber(input: string): string | null {
  const digits = input.replace(/[\s.\-()/]/g, "");
  if (/^0[1-9]\d{8}$/.test(digits)) return `+33${digits.slice(1)}`;
  if (/^0033[1-9]\d{8}$/.test(digits)) return `+33${digits.slice(4)}`;
  if (/^\+[1-9]\d{6,14}$/.test(digits)) return digits;
  return null;
}

export function parseReference(input: string): ReferenceQuery | null {
  const trimmed = input.trim();
  if (trimmed === "") return null;
  const phone = normalisePhoneNumber(trimmed);
  if (phone !== null) return { kind: "phone", value: phone };
  // Customer and contract numbers are matched exactly, ignoring case and surrounding spaces.
  return { kind: "customer_or_contract", value: trimmed.toUpperCase().replace(/\s+/g, "") };
}

/** +33123456789 → 01 23 45 67 89 (French numbers, as people read them); others as stored. */
export function formatPhoneNumber(e164: string): string {
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return french ? `0${french.slice(1).join(" ")}` : e164;
}
