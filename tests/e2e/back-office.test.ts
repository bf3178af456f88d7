import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recordUnmatchedNotice } from "../../app/services/record-unmatched-notice.server";
import { cancellationCases, operators, unmatchedNotices } from "../../db/schema";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #5's browser checks: operations match Camille Martin's unmatched notice (the case keeps
// the notice's receipt time, the letter and email follow), then find her case by customer number
// and read its timeline. axe on every back-office page visited.
const app = setupPortalInBrowser("e2e_back_office");

describe("the staff back office in Chromium", () => {
  it("lets ops match a notice, then find Camille Martin's case by customer number", async () => {
    const db = app.db();
    const [operator] = await db.select().from(operators).limit(1);
    const receivedAt = new Date(Date.now() - 3 * 86_400_000);
    const notice = await recordUnmatchedNotice(
      { db, jobs: app.portal().jobs, now: () => receivedAt },
      {
        operatorId: operator!.id,
        firstName: "Camille",
        lastName: "Martin",
        reference: "C-1OOOO1",
        email: "camille.martin@example.com",
        language: "fr",
        idempotencyKey: "e2e-back-office-notice",
        meta: { ip: null, userAgent: null },
      },
    );

    const page = await app.newPage();
    await page.goto(app.url("/staff/avis"));
    await page.getByRole("heading", { name: "Connexion à l’espace équipe" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Adresse e-mail").fill("ops@example.com");
    await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Demandes à rattacher" }).waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: notice.reference }).click();
    await page
      .getByRole("heading", { name: /Demande/ })
      .first()
      .waitFor();
    await page.getByLabel("Chercher un abonné").fill("C-100001");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByText("Fibre 1 Gb/s + TV").waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Rattacher et créer le dossier" }).click();
    await page.getByText("Demande rattachée : le dossier est créé").waitFor();

    const [matched] = await db
      .select({ caseId: unmatchedNotices.matchedCaseId, status: unmatchedNotices.status })
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.id, notice.id));
    expect(matched?.status).toBe("matched");
    const [created] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, matched!.caseId!));
    expect(created?.receivedAt.toISOString()).toBe(receivedAt.toISOString());
    expect(created?.source).toBe("notice_match");

    const mail = await app
      .smtp()
      .waitFor((message) => message.subject?.includes(created!.reference) ?? false, 30_000);
    expect(mail.to).toBeDefined();
    expect(mail.attachments.some((file) => file.contentType === "application/pdf")).toBe(true);

    // Find the case by customer number, open it, read the timeline.
    await page.getByRole("link", { name: "Dossiers", exact: true }).click();
    await page.getByRole("heading", { name: "Dossiers de résiliation" }).waitFor();
    await page.getByLabel("Rechercher un dossier").fill("C-100001");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByRole("link", { name: created!.reference }).waitFor();
    await expectAccessible(page);
    await page.getByRole("link", { name: created!.reference }).click();
    await page.getByRole("heading", { name: "Historique (journal d’audit)" }).waitFor();
    const timeline = page.locator("ol.timeline");
    await expect(
      timeline.getByText("Résiliation notifiée (réception légale)").count(),
    ).resolves.toBe(1);
    await expect(timeline.getByText("Dossier consulté").count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);

    // An agent signed in elsewhere is refused the staff administration.
    const agent = await app.newPage({ javaScript: false });
    await agent.goto(app.url("/staff/comptes"));
    await agent.getByLabel("Adresse e-mail").fill("agent@example.com");
    await agent.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
    await agent.getByRole("button", { name: "Se connecter" }).click();
    await agent.getByRole("heading", { name: "Accès refusé" }).waitFor();
  });

  it("keeps the back office usable on a phone and in English", async () => {
    const page = await app.newPage({ width: 375, locale: "en-GB" });
    await page.goto(app.url("/staff/connexion?lang=en"));
    await page.getByRole("heading", { name: "Sign in to the back office" }).waitFor();
    await page.getByLabel("Email address").fill("compliance@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /Hello/ }).waitFor();
    await page.getByRole("link", { name: "Compliance", exact: true }).first().click();
    // The compliance overview: signed checkpoints, and a full verification run on demand.
    await page.getByRole("heading", { name: "Signed checkpoints" }).waitFor();
    await page.getByRole("button", { name: "Verify now" }).click();
    await page.getByText("The audit trail is intact.").waitFor();
    await expectAccessible(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > window.innerWidth + 1,
    );
    expect(overflow).toBe(false);
  });
});
