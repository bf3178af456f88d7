import { randomInt } from "node:crypto";

// Case and notice references are read aloud on the phone and typed from paper: no 0/O, 1/I/L,
// no vowels that could spell words. 8 characters of 28 ≈ 3.8e11 values.
export const REFERENCE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ";

export type RandomIndex = (max: number) => number;

export function makeReference(prefix: "RX" | "NT" | "RT", random: RandomIndex = randomInt): string {
  let body = "";
  for (let i = 0; i < 8; i += 1) body += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)];
  return `${prefix}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/** Accepts what a person types: lower case, spaces, missing dashes. */
export function normaliseReference(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, "");
  if (compact.length !== 10) return input.trim().toUpperCase();
  return `${compact.slice(0, 2)}-${compact.slice(2, 6)}-${compact.slice(6)}`;
}
