import { lt } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { apiIdempotencyKeys } from "../../../db/schema";

/** How long the API remembers an Idempotency-Key and its response. */
export const IDEMPOTENCY_KEY_HOURS = 24;

/** Forgets Idempotency-Keys older than 24 hours (the maintenance.purge-expired job). */
export async function purgeExpiredIdempotencyKeys(
  db: Queryable,
  now = new Date(),
): Promise<number> {
  const purged = await db
    .delete(apiIdempotencyKeys)
    .where(
      lt(apiIdempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000)),
    )
    .returning({ key: apiIdempotencyKeys.key });
  return purged.length;
}
