import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  contactAttempts,
  offers,
  staffUsers,
  subscribers,
  surveyResponses,
  winbackItems,
} from "../../../db/schema";
import type { Env } from "../../config/env.server";
import type { Lang } from "../../i18n/i18n";
import { fill, type EmailTemplates } from "../../mail/email-templates";
import { stopContactUrl } from "./stop-contact.server";

/** The pieces of a retention email: who writes, the offer made, the "stop contacting me" link. */
export async function winbackEmailValues(
  db: Db,
  env: Env,
  input: { attemptId: string; lang: Lang; templates: EmailTemplates },
): Promise<{ values: Record<string, string> & { stopUrl: string } } | null> {
  const [row] = await db
    .select({
      subscriberId: winbackItems.subscriberId,
      agentName: staffUsers.displayName,
      offerName: offers.name,
      offerDescription: offers.description,
    })
    .from(contactAttempts)
    .innerJoin(winbackItems, eq(winbackItems.id, contactAttempts.winbackItemId))
    .innerJoin(staffUsers, eq(staffUsers.id, contactAttempts.staffUserId))
    .leftJoin(offers, eq(offers.id, contactAttempts.offerId))
    .where(eq(contactAttempts.id, input.attemptId));
  if (!row) return null;
  const { values } = input.templates;
  const stopUrl = await stopContactUrl(db, {
    secret: env.SESSION_SECRET,
    appUrl: env.APP_URL,
    subscriberId: row.subscriberId,
    lang: input.lang,
  });
  return {
    values: {
      // The agent signs with their first name only.
      agentName: row.agentName.split(" ")[0] ?? row.agentName,
      offerText:
        row.offerName === null
          ? values.winbackNoOffer
          : fill(values.winbackOffer, {
              offerName: row.offerName,
              offerDescription: row.offerDescription ?? "",
            }),
      stopUrl,
    },
  };
}

/**
 * An email scheduled for the window's next opening must not go out if the subscriber said stop
 * in the meantime (suppression list or consent withdrawn on the survey).
 */
export async function winbackEmailStillWanted(db: Db, attemptId: string): Promise<boolean> {
  const [row] = await db
    .select({
      suppressed: subscribers.marketingSuppressed,
      withdrawnAt: surveyResponses.consentWithdrawnAt,
      consent: surveyResponses.contactConsent,
    })
    .from(contactAttempts)
    .innerJoin(winbackItems, eq(winbackItems.id, contactAttempts.winbackItemId))
    .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
    .innerJoin(surveyResponses, eq(surveyResponses.id, winbackItems.surveyResponseId))
    .where(eq(contactAttempts.id, attemptId));
  return row !== undefined && !row.suppressed && row.consent && row.withdrawnAt === null;
}
