import { hash, verify, type Algorithm } from "@node-rs/argon2";

// `Algorithm` is an ambient const enum (unusable with isolatedModules): 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
// argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane).
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}
