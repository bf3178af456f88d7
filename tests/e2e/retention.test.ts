import { asc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { addMonths, dateInZone } from "../../app/domain/dates";
import { applyRetention } from "../../app/services/retention/apply-retention.server";
import { ensureTerminationLetter } from "../../app/services/ensure-termination-letter.server";
import { contracts, operators, subscribers } from "../../db/schema";
import { insertCase, insertContract, insertSubscriber } from "../factories/index";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #8's data retention in Chromium: admin changes the periods on a phone without
// JavaScript — a mistake tied to its field, then the confirmation a shorter period asks for —
// and a subscriber opens their pseudonymised case and the purged letter's 410 page. axe on every
// state; nothing scrolls sideways at 375 px.
const app = setupPortalInBrowser("e2e_retention");
const PAGE = "/staff/conformite/conservation";
let token = "";

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

/** A former subscriber whose relationship ended `monthsAgo` months ago (history backdated). */
async function leaver(firstName: string, monthsAgo: number) {
  const db = app.db();
  const [operator] = await db.select().from(operators).orderBy(asc(operators.createdAt)).limit(1);
  const today = dateInZone(new Date(), "Europe/Paris");
  const endedOn = addMonths(today, -monthsAgo);
  const subscriber = await insertSubscriber(db, { operatorId: operator!.id, firstName });
  const contract = await insertContract(db, {
    operatorId: operator!.id,
    subscriberId: subscriber.id,
    startDate: addMonths(endedOn, -48),
  });
  const made = await insertCase(db, {
    operatorId: operator!.id,
    subscriber,
    contracts: [contract],
    receivedAt: new Date(`${addMonths(endedOn, -1)}T10:00:00Z`),
    effectiveEndDate: endedOn,
    status: "closed",
    linkSecret: PORTAL_TEST_SECRET,
  });
  await db
    .update(subscribers)
    .set({ createdAt: new Date(`${addMonths(endedOn, -48)}T10:00:00Z`) })
    .where(eq(subscribers.id, subscriber.id));
  await db
    .update(contracts)
    .set({ updatedAt: new Date(`${endedOn}T10:00:00Z`) })
    .where(eq(contracts.id, contract.id));
  return made;
}

beforeAll(async () => {
  const gone = await leaver("Hélène", 80);
  await ensureTerminationLetter(app.db(), gone.case.id, "http://localhost");
  token = gone.token;
  await leaver("Bruno", 24);
  await applyRetention({ db: app.db(), trigger: "job" });
});

async function signIn(page: Page) {
  await page.goto(app.url(PAGE));
  await page.getByLabel("Adresse e-mail").fill("admin@example.com");
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Conservation des données", level: 1 }).waitFor();
}

describe("data retention in Chromium", () => {
  it("lets admin change the periods on a phone without JavaScript, confirming a shorter one", async () => {
    const page = await app.newPage({ width: 375, javaScript: false });
    await signIn(page);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByText("traitement de nuit").first().waitFor();

    await page.getByLabel("Dossiers et preuves (années)").fill("abc");
    await page.getByRole("button", { name: "Enregistrer la politique" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Indiquez un nombre entier" });
    expect(await summary.getByRole("link").getAttribute("href")).toBe("#recordsYears");
    expect(await page.getByLabel("Dossiers et preuves (années)").getAttribute("aria-invalid")).toBe(
      "true",
    );
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByLabel("Dossiers et preuves (années)").fill("1");
    await page.getByLabel("Données de prospection (mois)").fill("12");
    await page.getByRole("button", { name: "Enregistrer la politique" }).click();
    await page.getByText(/ce changement rend des données échues immédiatement/).waitFor();
    await page.getByRole("button", { name: "Confirmer et enregistrer" }).click();
    await page.getByText("Politique de conservation enregistrée.", { exact: false }).waitFor();
    await page.getByText(/dossiers 5 → 1 ans, prospection 36 → 12 mois/).waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    // The same states, checked by axe in a page that runs scripts.
    const checked = await app.newPage({ width: 375 });
    await signIn(checked);
    await expectAccessible(checked);
    await checked.getByLabel("Dossiers et preuves (années)").fill("5");
    await checked.getByLabel("Données de prospection (mois)").fill("36");
    await checked.getByRole("button", { name: "Enregistrer la politique" }).click();
    await checked.getByText("Politique de conservation enregistrée.", { exact: false }).waitFor();
    await expectAccessible(checked);
  });

  it("shows the subscriber a pseudonymised case and a clear page for the purged letter", async () => {
    const page = await app.newPage({ width: 375 });
    await page.goto(app.url(`/dossier/${token}`));
    await page.getByText("Données personnelles pseudonymisées").waitFor();
    await page
      .getByText("La lettre de résiliation n’est plus disponible", { exact: false })
      .waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);

    const response = await page.goto(app.url(`/dossier/${token}/lettre.pdf`));
    expect(response?.status()).toBe(410);
    await page
      .getByRole("heading", { name: "Ce document n’est plus disponible", level: 1 })
      .waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);
    await page.getByRole("link", { name: "Retour à votre dossier" }).click();
    await page.getByText("Données personnelles pseudonymisées").waitFor();
  });
});
