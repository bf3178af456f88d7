import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../../db/client";
import { rateLimits } from "../../db/schema";

// Abuse limits kept in Postgres (rate-limiter-flexible), so that every web process shares them.
// Identification is limited by address and by the reference typed (someone trying names on one
// customer number from many addresses).
const LIMITS = {
  identifyByIp: { keyPrefix: "identify-ip", points: 30, duration: 15 * 60 },
  identifyByReference: { keyPrefix: "identify-ref", points: 10, duration: 15 * 60 },
  findCaseByIp: { keyPrefix: "find-case-ip", points: 20, duration: 15 * 60 },
  // Staff sign-in: attempts per address, and failed passwords per email (the lockout, counted
  // for unknown emails too, so that the answer never tells which addresses have an account).
  signInByIp: { keyPrefix: "sign-in-ip", points: 30, duration: 15 * 60 },
  signInFailures: { keyPrefix: "sign-in-failures", points: 10, duration: 15 * 60 },
  secondFactorFailures: { keyPrefix: "totp-failures", points: 5, duration: 15 * 60 },
  passwordResetByIp: { keyPrefix: "reset-ip", points: 10, duration: 60 * 60 },
  passwordResetByEmail: { keyPrefix: "reset-email", points: 3, duration: 60 * 60 },
  // A case's evidence pack from the private link: made on each request (a PDF, a Merkle proof)
  // and recorded in the case's chain, so a link is not a way to load the server or the chain.
  evidencePackByCase: { keyPrefix: "evidence-case", points: 20, duration: 60 * 60 },
  // Integration API: requests per API key (a carrier's burst of tracking events fits easily).
  apiByKey: { keyPrefix: "api-key", points: 600, duration: 60 },
} as const;

/** How long a lockout lasts once `signInFailures` is exhausted. */
export const LOCKOUT_MINUTES = LIMITS.signInFailures.duration / 60;

export type LimitName = keyof typeof LIMITS;

const limiters = new WeakMap<Db, Map<LimitName, RateLimiterDrizzle>>();

function limiter(db: Db, name: LimitName): RateLimiterDrizzle {
  let forDb = limiters.get(db);
  if (!forDb) {
    forDb = new Map();
    limiters.set(db, forDb);
  }
  let found = forDb.get(name);
  if (!found) {
    found = new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, ...LIMITS[name] });
    forDb.set(name, found);
  }
  return found;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts one attempt against every limit given; refuses if any is exhausted. */
export async function consumeLimits(
  db: Db,
  checks: { name: LimitName; key: string }[],
): Promise<LimitResult> {
  let retryAfterSeconds = 0;
  for (const check of checks) {
    try {
      await limiter(db, check.name).consume(check.key);
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when the limit is reached, with an Error on failure.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil(rejection.msBeforeNext / 1000));
    }
  }
  return retryAfterSeconds > 0 ? { ok: false, retryAfterSeconds } : { ok: true };
}

/** Seconds until `key` may try again, or 0 when its limit is not exhausted (counts nothing). */
export async function blockedFor(db: Db, name: LimitName, key: string): Promise<number> {
  const state = await limiter(db, name).get(key);
  if (!state || state.consumedPoints < LIMITS[name].points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/** Forgets the attempts of `key` (a successful sign-in, a password reset, an admin unlock). */
export async function clearLimit(db: Db, name: LimitName, key: string): Promise<void> {
  await limiter(db, name).delete(key);
}
