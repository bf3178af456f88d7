import { and, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { withdrawCancellation } from "../../app/services/withdraw-cancellation.server";
import {
  auditEvents,
  cancellationCases,
  caseContracts,
  contracts,
  unmatchedNotices,
} from "../../db/schema";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// The subscriber's easy exit in real Chromium, as a newcomer does it (issue #3's checks).
const app = setupPortalInBrowser("e2e_journey");
const VIEWPORT_HEIGHT = 900;

/** Counts the form submissions a page makes (POST navigations and fetches). */
function countSubmits(page: Page): () => number {
  let submits = 0;
  page.on("request", (request) => {
    if (request.method() === "POST") submits += 1;
  });
  return () => submits;
}

async function identify(
  page: Page,
  labels: { first: string; last: string; reference: string; email: string; submit: string },
  values: string[],
) {
  await page.getByLabel(labels.first).fill(values[0]!);
  await page.getByLabel(labels.last, { exact: true }).fill(values[1]!);
  await page.getByLabel(labels.reference).fill(values[2]!);
  await page.getByLabel(labels.email, { exact: true }).fill(values[3]!);
  await page.getByRole("button", { name: labels.submit }).click();
}

const FR = {
  first: "Prénom",
  last: "Nom",
  reference: "Numéro client, numéro de contrat ou numéro de ligne",
  email: "Adresse e-mail pour l’accusé de réception",
  submit: "Continuer",
};
const EN = {
  first: "First name",
  last: "Last name",
  reference: "Customer number, contract number or phone line number",
  email: "Email address for the acknowledgment",
  submit: "Continue",
};

async function caseByReference(reference: string) {
  const db = app.portal().database.db;
  const [row] = await db
    .select()
    .from(cancellationCases)
    .where(eq(cancellationCases.reference, reference));
  return row!;
}

describe("the subscriber's easy exit", { timeout: 60_000 }, () => {
  it("Camille cancels in three submits, sees the fee computation and equipment first, then withdraws once", async () => {
    const page = await app.newPage();
    const submits = countSubmits(page);
    await page.goto(app.url("/"));
    await Promise.all([
      page.waitForURL("**/resilier"),
      page.locator("header").getByRole("link", { name: "Résilier votre contrat" }).click(),
    ]);
    await expectAccessible(page);

    await identify(page, FR, ["camille", "MARTIN", "C-100001", "camille.martin@example.com"]);
    await page.waitForURL("**/resilier/recapitulatif");
    const notify = page.getByRole("button", { name: "Notifier la résiliation" }).first();
    const box = await notify.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT_HEIGHT); // visible on arrival, no scrolling
    const summary = await page.locator("main").innerText();
    expect(summary).toContain("Mensualités restant dues jusqu’à la fin du 12e mois");
    expect(summary).toMatch(/3 mois et \d+ jour\(s\) × 44,99\s€/);
    expect(summary).toContain("Box internet (Nébula Box 8)");
    expect(summary).toContain("Décodeur TV (Nébula TV 4K)");
    expect(summary).toMatch(/À rendre au plus tard le/);
    await expectAccessible(page);

    await notify.click();
    await page.waitForURL("**/resilier/accuse");
    expect(submits()).toBe(2); // identify, notify: with the link that opened the form, three steps
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    expect(reference).toMatch(/^RX-[2-9B-Z]{4}-[2-9B-Z]{4}$/);
    expect(await page.locator("dl").innerText()).toMatch(/\d{2}:\d{2}:\d{2}\sUTC\+1/);
    await expectAccessible(page);

    const row = await caseByReference(reference);
    expect(row.status).toBe("received");
    expect(await verifyCaseChain(app.portal().database.db, row.id)).toMatchObject({ ok: true });
    // The journey's events open the chain; the letter and email jobs append theirs after.
    const events = await app
      .portal()
      .database.db.select({ type: auditEvents.type, ip: auditEvents.ip })
      .from(auditEvents)
      .where(eq(auditEvents.caseId, row.id))
      .orderBy(auditEvents.seq);
    expect(events.slice(0, 3).map((event) => event.type)).toEqual([
      "case.identified",
      "case.summary_shown",
      "case.notified",
    ]);
    expect(events[2]!.ip).not.toBeNull();

    // The exit survey stores an answer and leaves the case alone.
    await page.getByLabel("Raison principale de votre départ").selectOption("price");
    await page.getByRole("button", { name: "Envoyer ma réponse" }).click();
    await page.getByText("Merci pour votre réponse.").waitFor();
    expect((await caseByReference(reference)).status).toBe("received");

    // The private link, then withdrawal with a confirmation step.
    await Promise.all([
      page.waitForURL(/\/dossier\/[A-Za-z0-9_-]{40,}$/),
      page.locator("main a[href^='/dossier/']").click(),
    ]);
    await page.getByRole("heading", { level: 1, name: `Dossier ${reference}` }).waitFor();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Annuler ma résiliation" }).click();
    await page.waitForURL(/\/retrait$/);
    await page.getByRole("button", { name: "Oui, annuler ma résiliation" }).waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Oui, annuler ma résiliation" }).click();
    await page
      .getByText("Votre résiliation est annulée. Votre contrat continue.", { exact: false })
      .waitFor();
    expect(await page.locator(".badge").first().innerText()).toBe("Annulée");
    const withdrawn = await caseByReference(reference);
    expect(withdrawn.status).toBe("withdrawn");
    expect(await verifyCaseChain(app.portal().database.db, row.id)).toMatchObject({ ok: true });

    // Once only.
    await page.goto(page.url().replace(/\?retrait=ok$/, "/retrait"));
    expect(await page.locator("main").innerText()).toContain("déjà annulée");
  });

  it("Lucas, without JavaScript, sees only the device share after month 12 and notifies", async () => {
    const page = await app.newPage({ javaScript: false });
    await page.goto(app.url("/resilier"));
    await identify(page, FR, ["Lucas", "Bernard", "06 12 34 56 78", "lucas.bernard@example.com"]);
    await page.waitForURL("**/resilier/recapitulatif");
    const summary = await page.locator("main").innerText();
    expect(summary).toContain("Part des mensualités dues après le 12e mois");
    expect(summary).toMatch(/20 % de 5 mois et \d+ jour\(s\) × 34,99\s€/);
    expect(summary).not.toContain("jusqu’à la fin du 12e mois");
    await Promise.all([
      page.waitForURL("**/resilier/accuse"),
      page.getByRole("button", { name: "Notifier la résiliation" }).first().click(),
    ]);
    await page.getByRole("heading", { level: 1, name: "Votre résiliation est notifiée" }).waitFor();
    const reference = (await page.locator("dd strong").first().innerText()).trim();

    // Later, from another browser: find-my-case by reference (typed loosely) and email.
    const later = await app.newPage({ javaScript: false });
    await later.goto(app.url("/dossier"));
    await later
      .getByLabel("Référence du dossier")
      .fill(reference.toLowerCase().replaceAll("-", " "));
    await later.getByLabel("Adresse e-mail").fill("LUCAS.BERNARD@example.com");
    await Promise.all([
      later.waitForURL(/\/dossier\/[A-Za-z0-9_-]{40,}$/),
      later.getByRole("button", { name: "Retrouver mon dossier" }).click(),
    ]);
    expect(await later.locator("h1").innerText()).toBe(`Dossier ${reference}`);
    const checked = await app.newPage();
    await checked.goto(app.url("/dossier"));
    await expectAccessible(checked);
  });

  it("works the same for Camille without JavaScript (three submits, then the acknowledgment)", async () => {
    // Start from a Camille without an open case, whatever the tests before did.
    const db = app.portal().database.db;
    const open = await db
      .select({ id: cancellationCases.id })
      .from(cancellationCases)
      .innerJoin(caseContracts, eq(caseContracts.caseId, cancellationCases.id))
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(and(eq(contracts.contractNumber, "CT-2026-000101"), eq(caseContracts.open, true)));
    for (const row of open)
      await withdrawCancellation(
        { db, jobs: app.portal().jobs },
        { caseId: row.id, meta: { ip: null, userAgent: null } },
      );

    const page = await app.newPage({ javaScript: false });
    const submits = countSubmits(page);
    await page.goto(app.url("/"));
    await Promise.all([
      page.waitForURL("**/resilier"),
      page.locator("header").getByRole("link", { name: "Résilier votre contrat" }).click(),
    ]);
    await Promise.all([
      page.waitForURL("**/resilier/recapitulatif"),
      identify(page, FR, ["Camille", "Martin", "01 23 45 67 89", "camille.martin@example.com"]),
    ]);
    expect(await page.locator("main").innerText()).toContain(
      "Mensualités restant dues jusqu’à la fin du 12e mois",
    );
    await Promise.all([
      page.waitForURL("**/resilier/accuse"),
      page.getByRole("button", { name: "Notifier la résiliation" }).first().click(),
    ]);
    expect(await page.locator("h1").innerText()).toBe("Votre résiliation est notifiée");
    expect(submits()).toBe(2);
  });

  it("Inès, in English, chooses one of her two contracts", async () => {
    const page = await app.newPage({ locale: "en-GB" });
    await page.goto(app.url("/resilier?lang=en"));
    await identify(page, EN, ["Inès", "Petit", "c-100003", "ines.petit@example.com"]);
    await page.waitForURL("**/resilier/recapitulatif");
    await expectAccessible(page);
    // Nothing ticked yet: the button explains instead of guessing.
    await page.getByRole("button", { name: "Confirm cancellation" }).first().click();
    await page.getByText("Tick at least one contract to cancel.").first().waitFor();
    await page.getByLabel(/Cancel Mobile 20 Go/).check();
    await Promise.all([
      page.waitForURL("**/resilier/accuse"),
      page.getByRole("button", { name: "Confirm cancellation" }).first().click(),
    ]);
    await page
      .getByRole("heading", { level: 1, name: "Your cancellation has been notified" })
      .waitFor();
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    const db = app.portal().database.db;
    const cancelled = await db
      .select({ number: contracts.contractNumber })
      .from(caseContracts)
      .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
      .where(eq(caseContracts.caseId, (await caseByReference(reference)).id));
    expect(cancelled).toEqual([{ number: "CT-2024-000104" }]);
  });

  it("answers a wrong name with one neutral message, keeps the form, and after two failures records the notice anyway", async () => {
    const page = await app.newPage({ javaScript: false });
    await page.goto(app.url("/resilier"));
    await identify(page, FR, ["Camile", "Martin", "C-100001", "camille.martin@example.com"]);
    const neutral =
      "Nous n’avons pas pu retrouver votre contrat avec ces informations. Vérifiez-les et réessayez.";
    expect(await page.getByRole("alert").innerText()).toBe(neutral);
    expect(await page.getByLabel(FR.first).inputValue()).toBe("Camile");
    await page.getByRole("button", { name: "Continuer" }).click();
    expect(await page.getByRole("alert").innerText()).toBe(neutral);

    // An unknown reference gives exactly the same message.
    const other = await app.newPage({ javaScript: false });
    await other.goto(app.url("/resilier"));
    await identify(other, FR, ["Camille", "Martin", "C-999999", "camille.martin@example.com"]);
    expect(await other.getByRole("alert").innerText()).toBe(neutral);

    const before = new Date();
    await Promise.all([
      page.waitForURL("**/resilier/avis-recu"),
      page.getByRole("button", { name: "Envoyer ma demande quand même" }).click(),
    ]);
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    expect(reference).toMatch(/^NT-/);
    const [notice] = await app
      .portal()
      .database.db.select()
      .from(unmatchedNotices)
      .where(eq(unmatchedNotices.reference, reference));
    expect(notice).toMatchObject({ status: "pending", email: "camille.martin@example.com" });
    expect(notice!.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    await expectAccessible(
      await (async () => {
        const checked = await app.newPage();
        await checked.context().addCookies(await page.context().cookies());
        await checked.goto(app.url("/resilier/avis-recu"));
        return checked;
      })(),
    );
  });

  it("creates exactly one case from twenty concurrent notify submissions of one journey", async () => {
    const form = new URLSearchParams({
      firstName: "Inès",
      lastName: "Petit",
      reference: "CT-2023-000103",
      email: "ines.petit@example.com",
      intent: "identify",
    });
    const identified = await fetch(app.url("/resilier"), {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(identified.status).toBe(302);
    const cookie = identified.headers.get("set-cookie")!.split(";")[0]!;
    const summaryPage = await fetch(app.url("/resilier/recapitulatif"), { headers: { cookie } });
    const html = await summaryPage.text();
    // The contract named by its number is the one ticked in advance.
    const contractId = /id="contract-([0-9a-f-]{36})" checked=""/.exec(html)![1]!;
    const shownEndDate = /name="shownEndDate" value="([0-9-]{10})"/.exec(html)![1]!;
    const journeyCookie = summaryPage.headers.get("set-cookie")?.split(";")[0] ?? cookie;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => {
        const body = new FormData();
        for (const [key, value] of Object.entries({
          intent: "notify",
          contractIds: contractId,
          endDateMode: "earliest",
          terminationType: "ordinary",
          email: "ines.petit@example.com",
          shownEndDate,
          shownType: "ordinary",
        })) {
          body.append(key, value);
        }
        return fetch(app.url("/resilier/recapitulatif"), {
          method: "POST",
          body,
          headers: { cookie: journeyCookie },
          redirect: "manual",
        });
      }),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(303));
    const db = app.portal().database.db;
    const cases = await db
      .select({ id: caseContracts.caseId })
      .from(caseContracts)
      .where(and(eq(caseContracts.contractId, contractId), eq(caseContracts.open, true)));
    expect(cases).toHaveLength(1);
  });
});
