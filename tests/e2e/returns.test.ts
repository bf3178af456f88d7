import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays, dateInZone } from "../../app/domain/dates";
import {
  cancellationCases,
  equipment,
  equipmentReturns,
  refunds,
  returnItems,
} from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #6's browser checks on Camille Martin: her case page lists the box and the decoder with
// the deadline and the methods; the return label's barcodes decode to the return number; the
// warehouse receives the box, then the decoder; each reception emails an itemised receipt and
// the deposit refund becomes due 10 days after the last item came back. axe on every page.
const app = setupPortalInBrowser("e2e_returns");

describe("equipment returns in Chromium", () => {
  it("tracks Camille's box and decoder from the label to the deposit refund", async () => {
    const db = app.db();
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

    const [row] = await db
      .select({ caseId: cancellationCases.id, returnNumber: equipmentReturns.returnNumber })
      .from(equipmentReturns)
      .innerJoin(cancellationCases, eq(cancellationCases.id, equipmentReturns.caseId))
      .where(eq(cancellationCases.acknowledgmentEmail, "camille.martin@example.com"));
    const { caseId, returnNumber } = row!;

    // The case page: each device, the deadline, the methods, the label.
    await page.goto(app.url(caseHref!));
    await page.getByRole("heading", { name: "Retour du matériel" }).waitFor();
    const returnSection = page.locator("section", {
      has: page.getByRole("heading", { name: "Retour du matériel" }),
    });
    await returnSection.getByText(returnNumber, { exact: true }).waitFor();
    await returnSection.getByRole("rowheader", { name: /Box internet Nébula Box 8/ }).waitFor();
    await returnSection.getByRole("rowheader", { name: /Décodeur TV Nébula TV 4K/ }).waitFor();
    await returnSection.getByText("À rendre au plus tard le").waitFor();
    for (const method of ["point relais", "bureau de poste", "enlèvement par un coursier"])
      await returnSection.getByRole("radio", { name: new RegExp(`^${method}`) }).waitFor();
    await expectAccessible(page);

    const folder = mkdtempSync(path.join(tmpdir(), "ee-label-"));
    try {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Télécharger l’étiquette de retour (PDF)" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`etiquette-retour-${returnNumber}.pdf`);
      const pdf = path.join(folder, "label.pdf");
      await download.saveAs(pdf);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
      execFileSync("pdftoppm", [
        "-r",
        "200",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        pdf,
        path.join(folder, "page"),
      ]);
      const scanned = execFileSync("zbarimg", ["--quiet", path.join(folder, "page-1.png")], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      expect(scanned).toContain(`CODE-128:${returnNumber}`);
      expect(scanned).toContain(`QR-Code:${returnNumber}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    // The warehouse: scan (type) the number as a scanner would, lower case and without dashes.
    const ops = await app.newPage();
    await ops.goto(app.url("/staff/retours"));
    await ops.getByLabel("Adresse e-mail").fill("ops@example.com");
    await ops.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
    await ops.getByRole("button", { name: "Se connecter" }).click();
    await ops.getByRole("heading", { name: "Retours du matériel" }).waitFor();
    await expectAccessible(ops);
    await ops.getByLabel("Numéro de retour").fill(returnNumber.toLowerCase().replace(/-/g, ""));
    await ops.getByRole("button", { name: "Ouvrir le retour" }).click();
    await ops.getByRole("heading", { name: new RegExp(returnNumber) }).waitFor();
    await expectAccessible(ops);

    const items = await db
      .select({ equipmentId: returnItems.equipmentId, kind: equipment.kind })
      .from(returnItems)
      .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
      .innerJoin(equipmentReturns, eq(equipmentReturns.id, returnItems.returnId))
      .where(eq(equipmentReturns.caseId, caseId));
    const box = items.find((item) => item.kind === "box")!;
    const decoder = items.find((item) => item.kind === "tv_decoder")!;

    // First parcel: the box only.
    await ops.locator(`#item-${box.equipmentId}`).check();
    await ops.getByRole("button", { name: "Enregistrer la réception" }).click();
    await ops.getByText("Réception enregistrée").waitFor();
    const firstReceipt = await app
      .smtp()
      .waitFor(
        (mail) =>
          (mail.subject?.includes(returnNumber) ?? false) &&
          (mail.text?.includes("Nébula Box 8") ?? false),
        30_000,
      );
    expect(firstReceipt.subject).toContain("Reçu de retour");
    expect(firstReceipt.text).toContain("Il vous reste à renvoyer");
    expect(firstReceipt.text).toContain("Nébula TV 4K");

    await page.reload();
    await page.getByRole("heading", { name: "Retour du matériel" }).waitFor();
    await returnSection.getByText("Reçu en partie").waitFor();
    await returnSection.getByText(/Reçu le .*, en bon état/).waitFor();

    // Second parcel: the decoder, damaged.
    await ops.reload();
    await ops.locator(`#item-${decoder.equipmentId}`).check();
    await ops.locator(`#condition-${decoder.equipmentId}-damaged`).check();
    await ops.getByRole("button", { name: "Enregistrer la réception" }).click();
    await ops.getByText("Réception enregistrée").waitFor();
    const secondReceipt = await app
      .smtp()
      .waitFor(
        (mail) =>
          (mail.subject?.includes(returnNumber) ?? false) &&
          (mail.text?.includes("reçu endommagé") ?? false),
        30_000,
      );
    expect(secondReceipt.text).toContain("Nébula TV 4K");
    expect(secondReceipt.text).not.toContain("Nébula Box 8");
    expect(secondReceipt.text).toContain("Vous avez rendu tout le matériel demandé");

    const today = dateInZone(new Date(), "Europe/Paris");
    const [deposit] = await db
      .select()
      .from(refunds)
      .where(and(eq(refunds.caseId, caseId), eq(refunds.kind, "deposit")));
    expect(deposit).toMatchObject({ status: "due", legalDueDate: addDays(today, 10) });

    await page.reload();
    await page.getByRole("heading", { name: "Vos remboursements" }).waitFor();
    await returnSection.getByText("Tout le matériel est reçu").waitFor();
    await page.getByText("En cours de paiement").waitFor();
    await expectAccessible(page);

    // Operations see the deposit on the refunds page.
    await ops.goto(app.url("/staff/remboursements"));
    await ops.getByRole("heading", { name: "Remboursements", level: 1 }).waitFor();
    await expectAccessible(ops);
  }, 120_000);
});
