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
} as const;

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
