import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #9's webhook settings in Chromium: admin adds an endpoint with the keyboard (a mistake
// tied to its field first), and — on a phone, without JavaScript — rotates and reveals the
// secret, disables the endpoint and reads the delivery log. axe on every state; the pages never
// scroll sideways at 320 px.
const app = setupPortalInBrowser("e2e_webhooks");

async function signIn(page: Page, path = "/staff/reglages/webhooks") {
  await page.goto(app.url(path));
  await page.getByLabel("Adresse e-mail").fill("admin@example.com");
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

describe("the webhook settings in Chromium", () => {
  it("lets admin add an endpoint with the keyboard, after a mistake shown on its field", async () => {
    const page = await app.newPage();
    await signIn(page);
    await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel("Adresse (URL)").fill("http://billing.example.com/hooks");
    await page.getByLabel("Adresse (URL)").press("Enter");
    const summary = page.getByRole("alert");
    await summary.getByText("L’adresse doit commencer par https://.").waitFor();
    await summary.getByText("Cochez au moins un type d’événement.").waitFor();
    expect(await page.getByLabel("Adresse (URL)").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);

    await page.getByLabel("Adresse (URL)").fill("https://billing.example.com/hooks");
    await page.getByLabel(/Résiliation notifiée/).focus();
    await page.keyboard.press("Space");
    await page.getByLabel(/Remboursement versé/).focus();
    await page.keyboard.press("Space");
    await page.getByRole("button", { name: "Ajouter le point de réception" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText("Point de réception ajouté.", { exact: false }).waitFor();
    expect(await page.getByRole("status").textContent()).toMatch(/whsec_[A-Za-z0-9_-]{43}/);
    await page.getByRole("cell", { name: /https:\/\/billing\.example\.com\/hooks/ }).waitFor();
    await expectAccessible(page);
  });

  it("works on a phone without JavaScript: rotate, reveal, disable, read the log", async () => {
    const [endpoint] = await app
      .db()
      .insert(webhookEndpoints)
      .values({
        url: "https://erp.example.com/very/long/path/to/the/webhook/receiver?tenant=nebula-telecom",
        eventTypes: ["case.withdrawn", "refund.issued"],
        secret: "whsec_e2e-initial-secret",
      })
      .returning();
    const [delivery] = await app
      .db()
      .insert(webhookDeliveries)
      .values({
        endpointId: endpoint!.id,
        eventId: crypto.randomUUID(),
        eventType: "refund.issued",
        payload: { id: "x", type: "refund.issued" },
        status: "failed",
        attempts: 1,
        lastStatusCode: 502,
        lastAttemptAt: new Date(),
      })
      .returning();
    await app.db().insert(webhookDeliveryAttempts).values({
      deliveryId: delivery!.id,
      attempt: 1,
      statusCode: 502,
      durationMs: 87,
      responseExcerpt: "<html><body>Bad gateway</body></html>",
    });
    const path = `/staff/reglages/webhooks/${endpoint!.id}`;

    const page = await app.newPage({ width: 320, javaScript: false });
    await signIn(page, path);
    await page.getByRole("heading", { name: "Point de réception", level: 1 }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByRole("button", { name: "Renouveler le secret" }).click();
    await page.getByText("Nouveau secret de signature.", { exact: false }).waitFor();
    await page.getByText(/L’ancien secret signe encore jusqu’au/).waitFor();
    await page.getByRole("button", { name: "Afficher le secret" }).click();
    await page.getByText("Secret de signature actuel", { exact: false }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByRole("button", { name: "Désactiver" }).click();
    await page.getByText("Point de réception désactivé", { exact: false }).waitFor();
    await page.getByText("Détail des tentatives (1)").click();
    await page.getByText("Bad gateway", { exact: false }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    const [after] = await app
      .db()
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpoint!.id));
    expect(after).toMatchObject({ enabled: false, disabledReason: "admin" });
    expect(after!.previousSecret).toBe("whsec_e2e-initial-secret");

    // axe runs as a script: the same page in a JavaScript page at 320 px.
    const checked = await app.newPage({ width: 320 });
    await signIn(checked, path);
    await checked.getByRole("heading", { name: "Point de réception", level: 1 }).waitFor();
    await checked.getByText("Détail des tentatives (1)").click();
    await expectAccessible(checked);
    expect(await scrollsSideways(checked)).toBe(false);
  });
});
