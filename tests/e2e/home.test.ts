import { describe, expect, it } from "vitest";
import { expectAccessible, setupPortalInBrowser } from "./harness";

const app = setupPortalInBrowser("e2e_home");

describe("home page", () => {
  it("greets in French with « Résilier votre contrat » in the header, accessible, without JavaScript", async () => {
    const page = await app.newPage({ javaScript: false });
    const response = await page.goto(app.url("/"));
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await expect(page.title()).resolves.toContain("Nébula Télécom");
    const cta = page.locator("header").getByRole("link", { name: "Résilier votre contrat" });
    expect(await cta.count()).toBe(1);
    await Promise.all([page.waitForURL("**/resilier"), cta.click()]);
    expect(
      await page.locator("header").getByRole("link", { name: "Résilier votre contrat" }).count(),
    ).toBe(1);

    for (const pathname of ["/", "/resilier", "/dossier"]) {
      const checked = await app.newPage();
      await checked.goto(app.url(pathname));
      await expectAccessible(checked);
    }
  });

  it("switches to English with the language links, and remembers the choice", async () => {
    const page = await app.newPage();
    await page.goto(app.url("/"));
    await page.getByRole("link", { name: "English" }).click();
    await page.locator("header").getByRole("link", { name: "Cancel your contract" }).waitFor();
    expect(new URL(page.url()).searchParams.get("lang")).toBe("en");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.goto(app.url("/resilier"));
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await expectAccessible(page);
  });

  it("fits a 320 px wide phone without horizontal scrolling", async () => {
    const page = await app.newPage({ width: 320 });
    await page.goto(app.url("/"));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  });

  it("answers an unknown address with a translated 404 page", async () => {
    const page = await app.newPage();
    const response = await page.goto(app.url("/nulle-part"));
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toMatch(/introuvable/i);
    await expectAccessible(page);
  });

  it("sends strict security headers and reports health and readiness", async () => {
    const response = await fetch(app.url("/"));
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await (await fetch(app.url("/healthz"))).json()).toEqual({ status: "ok" });
    expect(await (await fetch(app.url("/readyz"))).json()).toMatchObject({ status: "ready" });
  });
});
