import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { EXIT_REASONS } from "../../app/domain/enums";
import { translate } from "../../app/i18n/i18n";
import { refreshAnalytics } from "../../app/services/analytics/refresh-analytics.server";
import { DEMO_PASSWORD } from "../setup/staff-http";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Issue #7's browser check of the analytics (part 4): as agent@example.com, the dashboard shows
// the exit reasons chart, its data table opens from the keyboard, and the CSV its link
// downloads matches the database. axe on the page; no sideways scroll on a phone.
const app = setupPortalInBrowser("e2e_analytics");

describe("the analytics dashboard in Chromium", () => {
  it("shows an agent the reasons chart, and its CSV matches the database", async () => {
    await refreshAnalytics(app.db());
    const page = await app.newPage({ width: 375 });
    await page.goto(app.url("/staff/connexion"));
    await page.getByLabel("Adresse e-mail").fill("agent@example.com");
    await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("link", { name: "Analyse", exact: true }).click();
    await page
      .getByRole("heading", { level: 1, name: "Analyse des départs et de la reconquête" })
      .waitFor();
    const chart = page.getByRole("img", { name: /^Motifs de départ par semaine/ });
    await chart.waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1),
    ).toBe(false);
    await expectAccessible(page);

    // The data table, opened with the keyboard.
    const summary = page.locator("summary", {
      hasText: "Afficher les données en tableau — Motifs de départ par semaine",
    });
    await summary.focus();
    await page.keyboard.press("Enter");
    const table = page.getByRole("table", { name: "Motifs de départ par semaine" });
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(52);

    const folder = mkdtempSync(path.join(tmpdir(), "ee-analytics-"));
    try {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page
          .getByRole("link", { name: "Télécharger en CSV — Motifs de départ par semaine" })
          .click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^motifs-de-depart-par-semaine_du_\d{4}-\d{2}-\d{2}_au_\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const file = path.join(folder, "reasons.csv");
      await download.saveAs(file);
      // A byte order mark, then plain lines: no field of this file needs quoting.
      const [header, ...rows] = readFileSync(file, "utf8")
        .replace(/^\uFEFF/, "")
        .trimEnd()
        .split("\r\n")
        .map((line) => line.split(","));
      expect(header).toEqual([
        "Semaine du",
        ...EXIT_REASONS.map((reason) => translate("fr", `staff.analytics.reason.${reason}`)),
        "Total",
      ]);
      expect(rows).toHaveLength(52);
      const found = await app.db().execute<{ week: string; reason: string; answers: number }>(sql`
        select date_trunc('week', s.created_at at time zone 'Europe/Paris')::date::text as week,
          s.reason, count(*)::int as answers
        from survey_response s join cancellation_case c on c.id = s.case_id
        where c.status <> 'withdrawn'
        group by 1, 2
      `);
      const inDatabase = new Map(found.map((row) => [`${row.week} ${row.reason}`, row.answers]));
      let total = 0;
      for (const row of rows) {
        EXIT_REASONS.forEach((reason, at) => {
          expect(Number(row[at + 1]), `${row[0]} ${reason}`).toBe(
            inDatabase.get(`${row[0]} ${reason}`) ?? 0,
          );
          total += Number(row[at + 1]);
        });
        expect(Number(row.at(-1))).toBe(
          row.slice(1, -1).reduce((sum, cell) => sum + Number(cell), 0),
        );
      }
      expect(total).toBeGreaterThan(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
