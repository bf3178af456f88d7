import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #8's exports page in Chromium, on a phone: a compliance officer fills the selection with
// the keyboard, without JavaScript, downloads the file the page offers, and finds the export in
// the history with its manifest. axe on the empty page and on the page with its history.
const app = setupPortalInBrowser("e2e_audit_export");

const PAGE = "/staff/conformite/exports";

describe("the audit trail exports page in Chromium", () => {
  it("lets compliance select, download and find an export, at 375 px and without JavaScript", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "ee-audit-export-"));
    try {
      for (const javaScript of [true, false]) {
        const page = await app.newPage({ width: 375, javaScript });
        await page.goto(app.url("/staff/connexion"));
        await page.getByLabel("Adresse e-mail").fill("compliance@example.com");
        await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
        await page.getByRole("button", { name: "Se connecter" }).click();
        await page.waitForURL(/\/staff$/);
        await page.goto(app.url(PAGE));
        await page.getByRole("heading", { level: 1, name: "Exports du journal d’audit" }).waitFor();
        const wide = () =>
          page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        expect(await wide()).toBe(false);
        if (javaScript) {
          await expectAccessible(page);
          continue;
        }

        // The selection, typed with the keyboard: one day of the demo's history, as JSON Lines.
        await page.getByLabel("Du (inclus)").focus();
        await page.keyboard.type("2026-01-01");
        await page.keyboard.press("Tab");
        await page.keyboard.type("2027-01-01");
        await page.getByLabel("JSON Lines (un objet JSON par ligne)").check();
        await page.getByLabel("Au (exclu)").focus();
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: "Export prêt" }).waitFor();
        expect(await page.getByRole("status").textContent()).toMatch(/Événements sélectionnés/);

        const link = page.getByRole("link", { name: /^Télécharger journal-audit_/ });
        const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
        expect(download.suggestedFilename()).toBe("journal-audit_2026-01-01_2027-01-01.jsonl");
        const file = path.join(folder, download.suggestedFilename());
        await download.saveAs(file);
        const lines = readFileSync(file, "utf8").trim().split("\n");
        expect(lines.length).toBeGreaterThan(0);
        expect(Object.keys(JSON.parse(lines[0]!) as object)[0]).toBe("id");

        // The history, once the page is reloaded: who, the selection, the hash, the manifest.
        await page.goto(app.url(PAGE));
        const row = page.getByRole("row").filter({ hasText: "Terminé" }).first();
        await row.waitFor();
        expect(await row.textContent()).toContain("Claire Conformité");
        expect(await row.textContent()).toContain("JSONL");
        const manifest = row.getByRole("link", { name: /^Manifeste JSON de l’export du / });
        const [manifestDownload] = await Promise.all([
          page.waitForEvent("download"),
          manifest.click(),
        ]);
        expect(manifestDownload.suggestedFilename()).toBe(
          "journal-audit_2026-01-01_2027-01-01.jsonl.manifest.json",
        );
        expect(await wide()).toBe(false);
      }

      // axe again, now that the history has a row.
      const page = await app.newPage({ width: 375 });
      await page.goto(app.url("/staff/connexion"));
      await page.getByLabel("Adresse e-mail").fill("compliance@example.com");
      await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.waitForURL(/\/staff$/);
      await page.goto(app.url(`${PAGE}?from=2026-13-01`));
      await page.getByRole("heading", { name: "Veuillez corriger les points suivants" }).waitFor();
      await page.getByRole("table").waitFor();
      await expectAccessible(page);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
