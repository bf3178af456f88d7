import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #9's API keys page in Chromium: admin creates a key with the keyboard (a mistake tied
// to its field first) and sees it once; on a 320 px phone without JavaScript, revokes it behind
// the confirmation page. axe on every state, and on the API reference page.
const app = setupPortalInBrowser("e2e_api_keys");

async function signIn(page: Page, path = "/staff/reglages/api") {
  await page.goto(app.url(path));
  await page.getByLabel("Adresse e-mail").fill("admin@example.com");
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("the API keys page in Chromium", () => {
  it("lets admin create a key with the keyboard and shows it once", async () => {
    const page = await app.newPage();
    await signIn(page);
    await page.getByRole("heading", { name: "Clés d’API", level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel("Nom").fill("BSS production");
    await page.getByLabel("Nom").press("Enter");
    await page.getByRole("alert").getByText("Cochez au moins un droit.").waitFor();
    await expectAccessible(page);

    await page.getByLabel(/contracts:write/).focus();
    await page.keyboard.press("Space");
    await page.getByLabel(/cases:read/).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Créer la clé" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("La clé « BSS production » est créée.", { exact: false }).waitFor();
    const shown = await page.getByRole("status").textContent();
    expect(shown).toMatch(/ee_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/);
    await expectAccessible(page);

    await page.reload();
    await page.getByRole("heading", { name: "Clés d’API", level: 1 }).waitFor();
    expect(await page.content()).not.toMatch(/ee_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/);
  });

  it("revokes a key on a phone without JavaScript, after a confirmation", async () => {
    const page = await app.newPage({ width: 320, javaScript: false });
    await signIn(page);
    await page.getByRole("heading", { name: "Clés d’API", level: 1 }).waitFor();
    await page.getByLabel("Nom").fill("Transporteur test");
    await page.getByLabel(/returns:write/).check();
    await page.getByRole("button", { name: "Créer la clé" }).click();
    await page.getByText("La clé « Transporteur test » est créée.", { exact: false }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole("link", { name: "Révoquer Transporteur test" }).click();
    await page.getByRole("heading", { name: "Révoquer la clé « Transporteur test » ?" }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    const confirmUrl = page.url();
    await page.getByRole("button", { name: "Révoquer la clé" }).click();
    await page.getByText("La clé « Transporteur test » est révoquée", { exact: false }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    const [row] = await app
      .db()
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.name, "Transporteur test"));
    expect(row!.revokedAt).not.toBeNull();

    // axe runs as a script: the same pages in a JavaScript page at 320 px.
    const checked = await app.newPage({ width: 320 });
    await signIn(checked, new URL(confirmUrl).pathname);
    await checked.getByText("Cette clé est déjà révoquée.").waitFor();
    await expectAccessible(checked);
    await checked.goto(app.url("/staff/reglages/api"));
    await expectAccessible(checked);
    expect(await scrollsSideways(checked)).toBe(false);
  });

  it("serves an accessible API reference that fits a phone", async () => {
    const page = await app.newPage({ width: 320 });
    await page.goto(app.url("/api/v1/docs"));
    await page.getByRole("heading", { name: /Easy Exit integration API/, level: 1 }).waitFor();
    await page.getByRole("heading", { name: "PUT /api/v1/contracts/{externalId}" }).waitFor();
    await expectAccessible(page);
    expect(await scrollsSideways(page)).toBe(false);
  });
});
