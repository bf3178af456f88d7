import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Download, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { cancellationCases } from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { unzip } from "../setup/unzip";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #8's evidence pack and subject-access export as people use them, in Chromium: Camille
// downloads her pack from her case page on a phone without JavaScript; compliance downloads it
// and her data from the staff case page with the keyboard. axe on both pages.
const app = setupPortalInBrowser("e2e_evidence");
const folder = mkdtempSync(path.join(tmpdir(), "ee-evidence-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function saved(download: Download, name: string): Promise<Buffer> {
  const file = path.join(folder, name);
  await download.saveAs(file);
  return readFileSync(file);
}

/** Activates a link with the keyboard and returns the download it starts. */
async function downloadByKeyboard(page: Page, name: string | RegExp): Promise<Download> {
  const link = page.getByRole("link", { name });
  await link.focus();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.keyboard.press("Enter"),
  ]);
  return download;
}

describe("evidence pack and subject access in Chromium", { timeout: 90_000 }, () => {
  it("lets Camille download her pack from her case page, and compliance her pack and her data", async () => {
    const page = await app.newPage();
    await page.goto(app.url("/resilier"));
    await page.getByLabel("Prénom").fill("Camille");
    await page.getByLabel("Nom", { exact: true }).fill("Martin");
    await page.getByLabel("Numéro client, numéro de contrat ou numéro de ligne").fill("C-100001");
    await page
      .getByLabel("Adresse e-mail pour l’accusé de réception")
      .fill("camille.martin@example.com");
    await page.getByRole("button", { name: "Continuer" }).click();
    await page.getByRole("button", { name: "Notifier la résiliation" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Votre résiliation est notifiée" }).waitFor();
    const caseHref = await page
      .locator('a[href^="/dossier/"]')
      .evaluateAll((links) =>
        links
          .map((link) => link.getAttribute("href") ?? "")
          .find((href) => /^\/dossier\/[A-Za-z0-9_-]{20,}$/.test(href)),
      );
    expect(caseHref).toBeDefined();
    const [row] = await app
      .db()
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .where(eq(cancellationCases.acknowledgmentEmail, "camille.martin@example.com"));
    const { id: caseId, reference } = row!;

    // Her case page on a phone, without JavaScript: the pack is one link away.
    const phone = await app.newPage({ javaScript: false, width: 375 });
    await phone.goto(app.url(caseHref!));
    const section = phone.locator("section", {
      has: phone.getByRole("heading", { name: "Votre dossier de preuves" }),
    });
    await section.getByText("Une archive ZIP avec tout ce qui prouve votre résiliation").waitFor();
    const [download] = await Promise.all([
      phone.waitForEvent("download"),
      section.getByRole("link", { name: "Télécharger le dossier de preuves (ZIP)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`preuves-${reference}.zip`);
    const entries = await unzip(await saved(download, "subscriber.zip"));
    expect(entries[0]!.name).toBe("summary.pdf");
    expect(entries[0]!.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(entries.at(-1)!.name).toBe("manifest.json");
    // The page has no horizontal scroll at 375 px.
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(app.url(caseHref!));
    await expectAccessible(page);

    // Compliance, on the staff case page, with the keyboard.
    const staff = await app.newPage({ width: 375 });
    await staff.goto(app.url(`/staff/dossiers/${caseId}`));
    await staff.getByLabel("Adresse e-mail").fill("compliance@example.com");
    await staff.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
    await staff.getByRole("button", { name: "Se connecter" }).click();
    await staff.getByRole("heading", { level: 1, name: new RegExp(reference) }).waitFor();
    await expectAccessible(staff);
    const pack = await downloadByKeyboard(staff, "Télécharger le dossier de preuves (ZIP)");
    expect(pack.suggestedFilename()).toBe(`preuves-${reference}.zip`);
    expect((await unzip(await saved(pack, "staff.zip"))).map((file) => file.name)).toContain(
      "checkpoint.json",
    );
    const data = await downloadByKeyboard(staff, /Exporter toutes ses données/);
    expect(data.suggestedFilename()).toMatch(/^donnees-C-100001-\d{4}-\d{2}-\d{2}\.zip$/);
    const subject = await unzip(await saved(data, "subject.zip"));
    expect(subject[0]!.name).toBe("README.txt");
    expect(subject.map((file) => file.name)).toContain("subscriber.json");
  });
});
