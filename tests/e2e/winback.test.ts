import { and, asc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { offers, operators, subscribers, winbackItems, type Offer } from "../../db/schema";
import { insertWinbackItem, type InsertWinbackItemInput } from "../factories/winback";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #7's browser checks: as agent@example.com, open the win-back queue, claim an item whose
// consented channel is email (so the journey does not depend on the clock), log a contact with an
// offer, mark it won back. axe on every page; the same pages at 375 px in English, without
// sideways scrolling; and without JavaScript, the claim and the "do not contact" confirmation.
const app = setupPortalInBrowser("e2e_winback");

let operatorId: string;
let offer: Offer;

beforeAll(async () => {
  const db = app.db();
  const [nebula] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  operatorId = nebula!.id;
  const [active] = await db
    .select()
    .from(offers)
    .where(and(eq(offers.operatorId, operatorId), eq(offers.active, true)))
    .orderBy(asc(offers.code))
    .limit(1);
  offer = active!;
});

/** An item whose subscriber agreed to email, any time: the journey never waits for a window. */
const newItem = (values: Omit<InsertWinbackItemInput, "operatorId" | "channel" | "window">) =>
  insertWinbackItem(app.db(), { ...values, operatorId, channel: "email", window: "any" });

async function signInAsAgent(
  page: Page,
  labels: { email: string; password: string; submit: string },
) {
  await page.getByLabel(labels.email).fill("agent@example.com");
  await page.getByLabel(labels.password).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: labels.submit }).click();
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth > window.innerWidth + 1,
  );
  expect(overflow, `horizontal scroll on ${page.url()}`).toBe(false);
}

async function itemState(itemId: string) {
  const [row] = await app.db().select().from(winbackItems).where(eq(winbackItems.id, itemId));
  return row!;
}

describe("the win-back workspace in Chromium", { timeout: 120_000 }, () => {
  it("lets an agent claim an email item, log a contact with an offer and mark it won back", async () => {
    const made = await newItem({
      subscriberValues: { firstName: "Élodie", lastName: "Garnier" },
      details: "Trop cher depuis la dernière hausse.",
      competitor: "Astra Mobile",
      wouldComeBack: 8,
    });

    const page = await app.newPage();
    await page.goto(app.url("/staff/reconquete"));
    await signInAsAgent(page, {
      email: "Adresse e-mail",
      password: "Mot de passe",
      submit: "Se connecter",
    });
    await page.getByRole("heading", { level: 1, name: "Reconquête" }).waitFor();
    await page.getByRole("table", { name: "Éléments ouverts par file" }).waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: made.caseReference }).click();
    await page.getByRole("heading", { level: 1, name: /Élodie Garnier/ }).waitFor();
    await page.getByText("Trop cher depuis la dernière hausse.").waitFor();
    await page.getByText("8 sur 10").waitFor();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Prendre en charge" }).click();
    await page.getByText("Élément pris en charge : il est à vous.").waitFor();
    await page.getByText(made.subscriber.email).waitFor();
    await expectAccessible(page);

    await page
      .getByLabel("Offre proposée (facultatif)")
      .selectOption({ label: `${offer.name} — ${offer.description}` });
    await page.getByLabel("Note (facultatif)").fill("Intéressée par la fibre à moitié prix.");
    await page
      .getByRole("button", { name: "Envoyer l’e-mail et enregistrer la tentative" })
      .click();
    await page.getByText("Tentative enregistrée.").waitFor();
    await page.getByText(`offre proposée : ${offer.name}`).waitFor();
    await expectAccessible(page);
    expect(await itemState(made.item.id)).toMatchObject({ status: "contacted", offerId: offer.id });

    await page.getByRole("radio", { name: /^Reconquis/ }).check();
    expect(await page.getByLabel("Offre acceptée", { exact: true }).inputValue()).toBe(offer.id);
    await page.getByRole("button", { name: "Enregistrer l’issue et clôturer" }).click();
    await page.getByText("Issue enregistrée : abonné reconquis. L’élément est clôturé.").waitFor();
    await expectAccessible(page);
    expect(await itemState(made.item.id)).toMatchObject({
      status: "won_back",
      closeReason: "outcome",
      offerId: offer.id,
    });

    await page.getByRole("link", { name: "← File de reconquête" }).click();
    await page.getByRole("link", { name: "Clôturés" }).click();
    const row = page.getByRole("row", { name: new RegExp(made.caseReference) });
    await row.getByText("Reconquis").waitFor();
    await expectAccessible(page);
  });

  it("keeps the same pages usable at 375 px in English, by keyboard", async () => {
    const made = await newItem({ subscriberValues: { firstName: "Tom", lastName: "Leclerc" } });
    const page = await app.newPage({ width: 375, locale: "en-GB" });
    await page.goto(app.url("/staff/reconquete"));
    await signInAsAgent(page, { email: "Email address", password: "Password", submit: "Sign in" });
    await page.getByRole("heading", { level: 1, name: "Win-back" }).waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page.getByRole("link", { name: made.caseReference }).click();
    await page.getByRole("heading", { level: 1, name: /Tom Leclerc/ }).waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page.getByRole("button", { name: "Claim" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("Item claimed: it is yours.").waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page
      .getByLabel("Offer made (optional)")
      .selectOption({ label: `${offer.name} — ${offer.description}` });
    await page.getByRole("button", { name: "Send the email and log the attempt" }).click();
    await page.getByText("Attempt logged.").waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);

    await page.getByRole("radio", { name: /^Won back/ }).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Record the outcome and close" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("Outcome recorded: won back. The item is closed.").waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
    expect((await itemState(made.item.id)).status).toBe("won_back");

    await page.goto(app.url("/staff/reconquete?statut=closed"));
    await page.getByRole("row", { name: new RegExp(made.caseReference) }).waitFor();
    await expectAccessible(page);
    await expectNoSidewaysScroll(page);
  });

  it("works without JavaScript: claim, then 'asked not to be contacted' after a confirmation", async () => {
    const made = await newItem({ subscriberValues: { firstName: "Inès", lastName: "Morel" } });
    const page = await app.newPage({ javaScript: false });
    await page.goto(app.url(`/staff/reconquete/${made.item.id}`));
    await signInAsAgent(page, {
      email: "Adresse e-mail",
      password: "Mot de passe",
      submit: "Se connecter",
    });
    await page.getByRole("heading", { level: 1, name: /Inès Morel/ }).waitFor();
    await page.getByRole("button", { name: "Prendre en charge" }).click();
    await page.getByText("Élément pris en charge : il est à vous.").waitFor();

    await page.getByRole("link", { name: "L’abonné demande à ne plus être contacté…" }).click();
    await page
      .getByText("Confirmation : Inès Morel a demandé à ne plus être contacté(e).")
      .waitFor();
    await page.getByRole("button", { name: "Oui, ne plus contacter cet abonné" }).click();
    await page.getByText("C’est noté : l’abonné ne sera plus contacté.").waitFor();
    expect(await itemState(made.item.id)).toMatchObject({
      status: "do_not_contact",
      closeReason: "suppressed",
    });
    const [subscriber] = await app
      .db()
      .select({ suppressed: subscribers.marketingSuppressed })
      .from(subscribers)
      .where(eq(subscribers.id, made.subscriber.id));
    expect(subscriber?.suppressed).toBe(true);
  });
});
