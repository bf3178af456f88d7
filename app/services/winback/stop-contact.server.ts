import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { operators, subscribers } from "../../../db/schema";
import { deriveToken, hashToken } from "../../auth/tokens.server";

/**
 * The "stop contacting me" link of a subscriber: derived from their id with the server secret,
 * so every retention email carries the same link and a retried email needs nothing new. Only
 * its SHA-256 is stored, to find the subscriber when the link is opened.
 */
export async function stopContactUrl(
  db: Queryable,
  input: { secret: string; appUrl: string; subscriberId: string },
): Promise<string> {
  const { token, hash } = deriveToken(input.secret, `stop-contact:${input.subscriberId}`);
  await db
    .update(subscribers)
    .set({ stopContactTokenHash: hash })
    .where(eq(subscribers.id, input.subscriberId));
  return new URL(`/contact/arret/${token}`, input.appUrl).toString();
}

export async function findStopContactSubscriber(db: Queryable, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({
      id: subscribers.id,
      suppressed: subscribers.marketingSuppressed,
      suppressedAt: subscribers.marketingSuppressedAt,
      operatorName: operators.displayName,
    })
    .from(subscribers)
    .innerJoin(operators, eq(operators.id, subscribers.operatorId))
    .where(eq(subscribers.stopContactTokenHash, hashToken(token)));
  return row ?? null;
}
