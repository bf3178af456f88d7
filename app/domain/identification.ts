// How the identify page reads the one reference a subscriber types: a customer number, a
// contract number or a phone number, written the way people write them.

export type ReferenceQuery =
  { kind: "customer_or_contract"; value: string } | { kind: "phone"; value: string };

/**
 * Numbers as people type them → E.164: French (01 23 45 67 89, +33 1 23…, 0033…), Portuguese
 * national numbers (nine digits starting with 2 or 9: 211 234 567, 912 345 678), any number in
 * international form (+49 30 …, 0049 30 …).
 */
export function normalisePhoneNumber(input: string): string | null {
  const digits = input.replace(/[\s.\-()/]/g, "");
  if (/^0[1-9]\d{8}$/.test(digits)) return `+33${digits.slice(1)}`;
  if (/^[29]\d{8}$/.test(digits)) return `+351${digits}`;
  if (/^00[1-9]\d{6,14}$/.test(digits)) return `+${digits.slice(2)}`;
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

/**
 * As people read them: +33123456789 → 01 23 45 67 89, +351211234567 → +351 211 234 567,
 * +493012345678 → +49 3012345678; others as stored.
 */
export function formatPhoneNumber(e164: string): string {
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  if (french) return `0${french.slice(1).join(" ")}`;
  const portuguese = /^\+351(\d{3})(\d{3})(\d{3})$/.exec(e164);
  if (portuguese) return `+351 ${portuguese.slice(1).join(" ")}`;
  const german = /^\+49(\d+)$/.exec(e164);
  return german ? `+49 ${german[1]}` : e164;
}
