import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newToken } from "../../app/auth/tokens.server";
import { addDays, dateInZone } from "../../app/domain/dates";
import { SurveyAnswerSchema } from "../../app/routes/public/survey-schema";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import { stopContactUrl } from "../../app/services/winback/stop-contact.server";
import { operators, winbackItems } from "../../db/schema";
import { insertCase, insertContract, insertSubscriber } from "../factories";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// The "stop contacting me" link of a retention email, as the subscriber opens it: without
// JavaScript, on a phone; it acts at once, says so calmly, and switches to English. axe on each
// state (confirmation, already done, unknown link).
const app = setupPortalInBrowser("e2e_stop_contact");

/** A subscriber who left with a survey answer consenting to be contacted; their stop link. */
async function subscriberWithStopLink(): Promise<{ path: string; caseId: string }> {
  const db = app.db();
  const [operator] = await db.select().from(operators).orderBy(asc(operators.createdAt)).limit(1);
  const subscriber = await insertSubscriber(db, { operatorId: operator!.id });
  const contract = await insertContract(db, {
    operatorId: operator!.id,
    subscriberId: subscriber.id,
    startDate: "2024-01-15",
  });
  const now = new Date();
  const { case: row } = await insertCase(db, {
    operatorId: operator!.id,
    subscriber,
    contracts: [contract],
    receivedAt: now,
    effectiveEndDate: addDays(dateInZone(now, operator!.timeZone), 31),
  });
  await saveSurveyAnswer(db, {
    caseId: row.id,
    subscriberId: subscriber.id,
    meta: { ip: null, userAgent: null },
    answer: SurveyAnswerSchema.parse({
      reason: "price",
      contactConsent: "yes",
      contactChannel: "phone",
      contactWindow: "any",
    }),
  });
  const url = await stopContactUrl(db, {
    secret: PORTAL_TEST_SECRET,
    appUrl: app.url("/"),
    subscriberId: subscriber.id,
  });
  return { path: new URL(url).pathname, caseId: row.id };
}

const overflows = (page: Awaited<ReturnType<typeof app.newPage>>) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("the stop-contact link in Chromium", { timeout: 60_000 }, () => {
  it("stops contact on opening, without JavaScript, on a phone, and says it was already done in English", async () => {
    const { path, caseId } = await subscriberWithStopLink();
    const page = await app.newPage({ javaScript: false, width: 375 });
    const response = await page.goto(app.url(path));
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await page
      .getByRole("heading", { level: 1, name: "C’est noté : nous ne vous contacterons plus" })
      .waitFor();
    await page.getByText("Votre résiliation n’est pas concernée").waitFor();
    await page.getByText("Date de votre demande").waitFor();
    expect(await page.title()).toContain("Ne plus être contacté(e)");
    const [item] = await app
      .db()
      .select()
      .from(winbackItems)
      .where(eq(winbackItems.caseId, caseId));
    expect(item).toMatchObject({ status: "do_not_contact", closeReason: "suppressed" });

    // The language links work without JavaScript; the link was used already: it says so.
    await Promise.all([
      page.waitForURL(/lang=en/),
      page.getByRole("link", { name: "English" }).click(),
    ]);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page
      .getByRole("heading", { level: 1, name: "Already done: you will not be contacted again" })
      .waitFor();
    await page.getByText("This does not affect your cancellation").waitFor();
  });

  it("is accessible and fits 375 px in each state: done, already done, unknown link", async () => {
    const { path } = await subscriberWithStopLink();
    // axe runs as a script: a JavaScript page (the server renders the same document).
    const page = await app.newPage({ width: 375 });
    await page.goto(app.url(path));
    await page.getByRole("heading", { level: 1, name: /C’est noté/ }).waitFor();
    expect(await overflows(page)).toBe(false);
    await expectAccessible(page);

    await page.goto(app.url(path));
    await page.getByRole("heading", { level: 1, name: /C’est déjà fait/ }).waitFor();
    expect(await overflows(page)).toBe(false);
    await expectAccessible(page);

    const unknown = await page.goto(app.url(`/contact/arret/${newToken().token}`));
    expect(unknown?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "Ce lien ne fonctionne pas" }).waitFor();
    expect(await overflows(page)).toBe(false);
    await expectAccessible(page);
  });
});
