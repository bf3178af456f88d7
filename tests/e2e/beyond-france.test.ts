import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addMonths, dateInZone } from "../../app/domain/dates";
import { translate, type Lang, type MessageKey } from "../../app/i18n/i18n";
import { cancellationCases } from "../../db/schema";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #10 in real Chromium: Germany's one-page cancellation, Portugal's fee cap in
// Portuguese, and the EU withdrawal button — each in its language, each page checked with axe.
const app = setupPortalInBrowser("e2e_beyond_france");

async function caseByReference(reference: string) {
  const [row] = await app
    .portal()
    .database.db.select()
    .from(cancellationCases)
    .where(eq(cancellationCases.reference, reference));
  return row!;
}

/** Every document URL the page navigates to, in order (the journey's pages). */
function visitedPaths(page: Page): string[] {
  const paths: string[] = [];
  page.on("framenavigated", (frame) => {
    const path = new URL(frame.url()).pathname;
    // Remix may report one navigation more than once: count each page once, in order.
    if (frame === page.mainFrame() && paths.at(-1) !== path) paths.push(path);
  });
  return paths;
}

async function fillIdentity(page: Page, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values))
    await page.locator(`input[name="${name}"]`).fill(value);
}

async function pdfText(page: Page): Promise<string> {
  const response = await page.request.get(app.url("/resilier/accuse/lettre.pdf"));
  expect(response.status()).toBe(200);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "letter-")), "letter.pdf");
  writeFileSync(file, await response.body());
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
}

const t = (lang: Lang, key: MessageKey, params?: Record<string, string | number>) =>
  translate(lang, key, params);

describe("beyond France", { timeout: 60_000 }, () => {
  it("Jonas, in German, cancels on one page: „jetzt kündigen“ visible on load, the legal fields only, ends one month after receipt with no fee", async () => {
    const page = await app.newPage({ locale: "de-DE" });
    const paths = visitedPaths(page);
    await page.goto(app.url("/"));
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    await page.locator("header").getByRole("link", { name: "Verträge hier kündigen" }).click();
    await page.waitForURL("**/kuendigen");
    await page.getByRole("heading", { level: 1, name: t("de", "singlePage.title") }).waitFor();
    await expectAccessible(page);

    const button = page.getByRole("button", { name: "jetzt kündigen", exact: true });
    await expect(button.isVisible()).resolves.toBe(true);
    await expect(button.isEnabled()).resolves.toBe(true);
    // § 312k (2) BGB: these fields are the maximum.
    const fields = await page
      .locator("main form")
      .locator("input, select, textarea")
      .evaluateAll((nodes) => [...new Set(nodes.map((node) => (node as HTMLInputElement).name))]);
    expect(fields.sort()).toEqual(
      [
        "terminationType",
        "reason",
        "firstName",
        "lastName",
        "reference",
        "endDateMode",
        "endDate",
        "email",
      ].sort(),
    );

    // A typo: one neutral message, the form kept; after two, "send anyway" is offered.
    for (const attempt of [1, 2]) {
      await fillIdentity(page, {
        firstName: "Jonas",
        lastName: `Bäcker${attempt}`,
        reference: "DE-2024-000701",
        email: "jonas.becker@example.com",
      });
      await button.click();
      await page.getByText(t("de", "singlePage.noMatch")).waitFor();
    }
    await page.getByRole("button", { name: t("de", "identify.anywaySubmit") }).waitFor();
    expect(await page.locator('input[name="email"]').inputValue()).toBe("jonas.becker@example.com");

    await fillIdentity(page, {
      firstName: "Jonas",
      lastName: "Becker",
      reference: "DE-2024-000701",
      email: "jonas.becker@example.com",
    });
    await Promise.all([page.waitForURL("**/resilier/accuse"), button.click()]);
    expect(paths).toEqual(["/", "/kuendigen", "/resilier/accuse"]);
    await page.getByRole("heading", { level: 1, name: t("de", "ack.title") }).waitFor();
    await expectAccessible(page);

    const reference = (await page.locator("dd strong").first().innerText()).trim();
    const row = await caseByReference(reference);
    const receiptDay = dateInZone(row.receivedAt, "Europe/Berlin");
    expect(row).toMatchObject({
      jurisdiction: "DE",
      language: "de",
      terminationType: "ordinary",
      effectiveEndDate: addMonths(receiptDay, 1),
      feeTotalCents: 0,
    });
    // The saveable declaration: the letter with the date and time of receipt.
    const text = await pdfText(page);
    expect(text).toContain("Jonas Becker");
    expect(text).toContain(reference);
    expect(text).toMatch(/\d{2}:\d{2}:\d{2}/);
  });

  it("Ana's Portuguese contract, 6 months into 24, shows the lower of the two caps with its computation, in Portuguese by default", async () => {
    const page = await app.newPage({ locale: "fr-FR" });
    await page.goto(app.url("/resilier"));
    await fillIdentity(page, {
      firstName: "Ana",
      lastName: "Ferreira",
      reference: "PT-2026-000601",
      email: "ana.ferreira@example.com",
    });
    await Promise.all([
      page.waitForURL("**/resilier/recapitulatif"),
      page.locator('button[value="identify"]').click(),
    ]);
    await page.getByRole("heading", { level: 1, name: t("pt", "summary.title") }).waitFor();
    // No language chosen: the contract's pack (Portugal) sets it.
    expect(await page.locator("html").getAttribute("lang")).toBe("pt");
    await expectAccessible(page);
    const main = await page.locator("main").innerText();
    expect(main).toContain(t("pt", "fee.line.advantageProRata"));
    expect(main).toContain(t("pt", "fee.line.remainingFeesShare"));
    expect(main).toContain(t("pt", "fee.lowerOf"));
    // The two caps, each with its computation: 300,00 € × the share of the commitment left, and
    // 50 % of the monthly fees (34,99 €) still due; the fee is the lower one.
    const cents = (text: string) => {
      const [, units, hundredths] = /(\d+),(\d{2})\s*€\s*$/.exec(text.trim())!;
      return Number(units) * 100 + Number(hundredths);
    };
    const lines = await page.locator("main .card ul.list li").allInnerTexts();
    const advantage = lines.find((line) => line.startsWith(t("pt", "fee.line.advantageProRata")))!;
    const share = lines.find((line) => line.startsWith(t("pt", "fee.line.remainingFeesShare")))!;
    expect(advantage).toMatch(/: 300,00\s€ × [\d,]+ % \(1[78] m/);
    expect(share).toMatch(/: 50 % .+ × 34,99\s€ = /);
    const totalText = await page
      .locator("main")
      .getByText(t("pt", "fee.total"), { exact: true })
      .first()
      .locator("..")
      .innerText();
    const fee = cents(totalText);
    expect(fee).toBe(Math.min(cents(advantage), cents(share)));
    expect(fee).toBeGreaterThan(20000);

    await Promise.all([
      page.waitForURL("**/resilier/accuse"),
      page
        .getByRole("button", { name: t("pt", "summary.notify") })
        .first()
        .click(),
    ]);
    await expectAccessible(page);
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    const row = await caseByReference(reference);
    expect(row).toMatchObject({ jurisdiction: "PT", language: "pt" });
    expect(row.feeTotalCents).toBe(fee);
    expect(await pdfText(page)).toContain("Ana Ferreira");
  });

  it("shows the withdrawal entry on a contract inside its withdrawal period, not outside it, and Léa withdraws in English", async () => {
    // Camille's contract is 8 months old: no withdrawal entry.
    const camille = await app.newPage({ locale: "en-GB" });
    await camille.goto(app.url("/resilier?lang=en"));
    await fillIdentity(camille, {
      firstName: "Camille",
      lastName: "Martin",
      reference: "C-100001",
      email: "camille.martin@example.com",
    });
    await Promise.all([
      camille.waitForURL("**/resilier/recapitulatif"),
      camille.locator('button[value="identify"]').click(),
    ]);
    await camille.getByRole("heading", { level: 1, name: t("en", "summary.title") }).waitFor();
    expect(await camille.locator("main").innerText()).toContain("CT-2026-000101");
    expect(
      await camille.getByRole("link", { name: t("en", "summary.withdrawalLink") }).count(),
    ).toBe(0);

    // Léa's contract is 5 days old: the entry is on her summary …
    const lea = await app.newPage({ locale: "en-GB" });
    lea.on("response", (r) =>
      console.log("RESP", r.status(), r.url(), r.headers()["location"] ?? ""),
    );
    await lea.goto(app.url("/resilier?lang=en"));
    await fillIdentity(lea, {
      firstName: "Léa",
      lastName: "Moreau",
      reference: "CT-2026-000801",
      email: "lea.moreau@example.com",
    });
    await Promise.all([
      lea.waitForURL("**/resilier/recapitulatif"),
      lea.locator('button[value="identify"]').click(),
    ]);
    await lea.getByRole("heading", { level: 1, name: t("en", "summary.title") }).waitFor();
    expect(await lea.getByRole("link", { name: "Withdraw from contract here" }).count()).toBe(1);

    // … and on the home page for everyone: "withdraw from contract here", then confirm.
    const page = await app.newPage({ locale: "en-GB" });
    await page.goto(app.url("/?lang=en"));
    await page.getByRole("link", { name: "Withdraw from contract here" }).click();
    await page.waitForURL("**/retractation");
    await page
      .getByRole("heading", { level: 1, name: t("en", "withdrawal.identifyTitle") })
      .waitFor();
    await expectAccessible(page);
    await fillIdentity(page, {
      firstName: "Léa",
      lastName: "Moreau",
      reference: "CT-2026-000801",
      email: "lea.moreau@example.com",
    });
    await Promise.all([
      page.waitForURL("**/retractation/confirmer"),
      page.locator('button[value="identify"]').click(),
    ]);
    await page.getByRole("heading", { level: 1, name: t("en", "withdrawal.title") }).waitFor();
    await expectAccessible(page);
    expect(await page.locator("main").innerText()).toContain(t("en", "fee.waiver.withdrawal"));
    await Promise.all([
      page.waitForURL("**/resilier/accuse"),
      page.getByRole("button", { name: "Confirm withdrawal" }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: t("en", "withdrawal.ackTitle") }).waitFor();
    await expectAccessible(page);
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    const row = await caseByReference(reference);
    expect(row).toMatchObject({
      terminationType: "withdrawal",
      feeTotalCents: 0,
      effectiveEndDate: dateInZone(row.receivedAt, "Europe/Paris"),
    });
    expect(await pdfText(page)).toContain("Léa Moreau");
  });
});
