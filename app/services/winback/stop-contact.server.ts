import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { operators, subscribers } from "../../../db/schema";
import { deriveToken, hashToken } from "../../auth/tokens.server";
import type { Lang } from "../../i18n/i18n";

/**
 * The "stop contacting me" link of a subscriber: derived from their id with the server secret,
 * so every retention email carries the same link and a retried email needs nothing new. Only
 * its SHA-256 is stored, to find the subscriber when the link is opened. With `lang` (the
 * email's language), the page opens in the language the subscriber was written to.
 */
export async function stopContactUrl(
  db: Queryable,
  input: { secret: string; appUrl: string; subscriberId: string; lang?: Lang },
): Promise<string> {
  const { token, hash } = deriveToken(input.secret, `stop-contact:${input.subscriberId}`);
  await db
    .update(subscribers)
    .set({ stopContactTokenHash: hash })
    .where(eq(subscribers.id, input.subscriberId));
  const url = new URL(`/contact/arret/${token}`, input.appUrl);
  if (input.lang) url.searchParams.set("lang", input.lang);
  return url.toString();
}

/** The subscriber behind a stop link (and the date they stopped contact, if they did), or null. */
export async function findStopContactSubscriber(db: Queryable, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({
      id: subscribers.id,
      suppressed: subscribers.marketingSuppressed,
      suppressedAt: subscribers.marketingSuppressedAt,
      operatorName: operators.displayName,
      timeZone: operators.timeZone,
    })
    .from(subscribers)
    .innerJoin(operators, eq(operators.id, subscribers.operatorId))
    .where(eq(subscribers.stopContactTokenHash, hashToken(token)));
  return row ?? null;
}
