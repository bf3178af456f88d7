import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #7's retention settings in Chromium: admin changes a routing rule with the keyboard,
// sees a mistake tied to its field, and — on a phone, without JavaScript — adds an offer and
// edits it; compliance reads the same page. axe on every state; the page never scrolls sideways
// at 375 px.
const app = setupPortalInBrowser("e2e_winback_settings");

async function signIn(page: Page, email = "admin@example.com") {
  await page.goto(app.url("/staff/reglages/reconquete"));
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: "Réglages de la reconquête", level: 1 }).waitFor();
}

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("the retention settings in Chromium", () => {
  it("lets admin change a rule with the keyboard, and shows a mistake on its field", async () => {
    const page = await app.newPage();
    await signIn(page);
    await expectAccessible(page);

    // The moving row: a group named after the reason, its queue then its SLA.
    const moving = page.getByRole("group", { name: "Un déménagement" });
    await moving.getByLabel("File").selectOption("apology");
    await moving.getByLabel("Premier contact sous (heures)").fill("abc");
    await moving.getByLabel("Premier contact sous (heures)").press("Enter");
    const summary = page.getByRole("alert");
    await summary.getByText(/Un déménagement\s*:\s*Indiquez le délai/).waitFor();
    await expectAccessible(page);
    // The summary links to the field, which says what is wrong and keeps what was typed.
    expect(await summary.getByRole("link").getAttribute("href")).toBe("#sla_moving");
    const sla = moving.getByLabel("Premier contact sous (heures)");
    expect(await sla.getAttribute("aria-invalid")).toBe("true");
    await sla.focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("12");
    await page.keyboard.press("Enter");
    await page.getByText(/Règles enregistrées\s*:\s*1 raison modifiée\./).waitFor();
    await page.getByRole("cell", { name: /Règle «\s*Un déménagement\s*»/ }).waitFor();
    await expectAccessible(page);
  });

  it("works on a phone without JavaScript: add an offer, then edit it", async () => {
    const page = await app.newPage({ width: 375, javaScript: false });
    await signIn(page);
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByLabel("Code").fill("MOBILE-50GO");
    await page.getByLabel("Nom", { exact: true }).fill("50 Go offerts");
    await page.getByLabel("Description").fill("50 Go de data en plus pendant 6 mois.");
    await page.getByRole("button", { name: "Ajouter l’offre" }).click();
    await page.getByText("Offre MOBILE-50GO ajoutée au catalogue").waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole("link", { name: "Modifier MOBILE-50GO" }).click();
    await page.getByRole("heading", { name: "Offre MOBILE-50GO" }).waitFor();
    await page.getByLabel("Nom", { exact: true }).fill("50 Go offerts pendant 6 mois");
    await page.getByRole("button", { name: "Enregistrer l’offre" }).click();
    await page.getByText("Offre enregistrée").waitFor();
    await page.getByRole("button", { name: "Désactiver" }).click();
    await page.getByText("Cette offre est désactivée").waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    // axe runs as a script: check the same pages in a JavaScript page at 375 px.
    const checked = await app.newPage({ width: 375 });
    await signIn(checked);
    await expectAccessible(checked);
    await checked.getByRole("link", { name: "Modifier MOBILE-50GO" }).click();
    await checked.getByRole("heading", { name: "Offre MOBILE-50GO" }).waitFor();
    await expectAccessible(checked);
    expect(await scrollsSideways(checked)).toBe(false);
  });

  it("shows compliance the same settings read-only on a phone", async () => {
    const page = await app.newPage({ width: 375 });
    await signIn(page, "compliance@example.com");
    await page.getByText(/Lecture seule/).waitFor();
    expect(await page.getByRole("button", { name: "Enregistrer les règles" }).count()).toBe(0);
    await expectAccessible(page);
    expect(await scrollsSideways(page)).toBe(false);
  });
});
