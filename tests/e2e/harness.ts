import { existsSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { setupPortal } from "../setup/portal";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches Debian's Chromium. Missing Chromium fails the run (never a silent skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is required for the browser tests: install it with "apt-get install -y chromium" (looked for ${CHROMIUM}; set CHROMIUM_PATH to use another).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A browser and a running portal (production build, seeded database of its own) for one test
 * file. `newPage({ javaScript: false })` gives a page as a no-JavaScript visitor sees it.
 */
export function setupPortalInBrowser(label: string) {
  const running = setupPortal(label);
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  return {
    ...running,
    async newPage(
      options: { javaScript?: boolean; locale?: string; width?: number } = {},
    ): Promise<Page> {
      const context = await browser!.newContext({
        javaScriptEnabled: options.javaScript ?? true,
        locale: options.locale ?? "fr-FR",
        viewport: { width: options.width ?? 1280, height: 900 },
      });
      contexts.push(context);
      return context.newPage();
    },
  };
}

/**
 * No serious or critical axe violation (WCAG 2.2 AA rules). axe runs as a script in the page:
 * for a page opened without JavaScript, check the same URL in a JavaScript page (the server
 * renders the same document for both).
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
    );
  expect(blocking).toEqual([]);
}
