import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cancellationCases } from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #8's browser check of the legal-deadline KPIs and the staff access log: as
// compliance@example.com on a 375 px phone, both pages pass axe (no serious or critical
// violation) and only their tables and charts scroll sideways, never the page; the KPI period
// form works without JavaScript; a day-by-day table opens from the keyboard; the access log
// finds the officer's own reading of a case by its reference.
const app = setupPortalInBrowser("e2e_compliance");

async function signIn(page: Page, next: string) {
  await page.goto(app.url(`/staff/connexion?next=${encodeURIComponent(next)}`));
  await page.getByLabel("Adresse e-mail").fill("compliance@example.com");
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("the compliance pages in Chromium at 375 px", () => {
  it("shows the KPIs accessibly, with a keyboard-opened day-by-day table", async () => {
    const page = await app.newPage({ width: 375 });
    await signIn(page, "/staff/conformite/indicateurs");
    await page.getByRole("heading", { level: 1, name: "Indicateurs des délais légaux" }).waitFor();
    await page.getByRole("img", { name: /^Avis de résiliation reçus par jour/ }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);

    const summary = page.locator("summary", {
      hasText: "Afficher les données par jour — Remboursements payés dans les 10 jours légaux",
    });
    await summary.focus();
    await page.keyboard.press("Enter");
    const table = page.getByRole("table", {
      name: "Remboursements payés dans les 10 jours légaux",
    });
    await table.waitFor();
    // 56 days and the total.
    expect(await table.locator("tbody tr").count()).toBe(57);
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);
  });

  it("changes the period without JavaScript", async () => {
    const page = await app.newPage({ width: 375, javaScript: false });
    await signIn(page, "/staff/conformite/indicateurs");
    await page.getByRole("heading", { level: 1, name: "Indicateurs des délais légaux" }).waitFor();
    await page.getByLabel("Du", { exact: true }).fill("2026-01-05");
    await page.getByLabel("Au (inclus)").fill("2026-01-11");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page
      .getByText("Du 5 janvier 2026 au 11 janvier 2026 (7 jours), en heure de Paris.")
      .waitFor();
    expect(new URL(page.url()).search).toBe("?du=2026-01-05&au=2026-01-11");
  });

  it("finds the officer's own reading of a case in the access log, accessibly", async () => {
    const [someCase] = await app
      .db()
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .limit(1);
    const page = await app.newPage({ width: 375 });
    await signIn(page, `/staff/dossiers/${someCase!.id}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(someCase!.reference) }).waitFor();

    await page.goto(app.url("/staff/conformite/acces"));
    await page.getByRole("heading", { level: 1, name: "Journal des accès de l’équipe" }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);

    await page
      .getByLabel("Référence du dossier ou de la demande")
      .fill(someCase!.reference.toLowerCase());
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/reference=/);
    const row = page.getByRole("row", { name: /Claire Conformité/ });
    await row.first().waitFor();
    await expect(
      row.first().getByRole("link", { name: someCase!.reference }).count(),
    ).resolves.toBe(1);
    expect(await scrollsSideways(page)).toBe(false);
    await expectAccessible(page);
  });
});
