import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cancellationCases, documents, emailMessages } from "../../db/schema";
import { expectAccessible, setupPortalInBrowser } from "./harness";

// Proof on a durable medium (issue #4's checks): the letter a subscriber downloads and the
// acknowledgment email that carries the same PDF.
const app = setupPortalInBrowser("e2e_letter");
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function pdfTool(
  tool: "pdftotext" | "pdffonts" | "pdfinfo",
  bytes: Buffer,
  args: string[] = [],
): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "letter-")), "letter.pdf");
  writeFileSync(file, bytes);
  return execFileSync(tool, [...args, file, ...(tool === "pdftotext" ? ["-"] : [])], {
    encoding: "utf8",
  });
}

describe("termination letter and acknowledgment email", { timeout: 60_000 }, () => {
  it("gives Camille a PDF/A letter with everything, byte-identical on every download, and emails the same PDF", async () => {
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
    const reference = (await page.locator("dd strong").first().innerText()).trim();
    const receipt = await page.locator("dd time").first().innerText();
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Télécharger la lettre de résiliation (PDF)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`lettre-de-resiliation-${reference}.pdf`);
    const first = Buffer.from(
      await (await page.request.get(app.url("/resilier/accuse/lettre.pdf"))).body(),
    );
    const response = await page.request.get(app.url("/resilier/accuse/lettre.pdf"));
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect(response.headers()["content-disposition"]).toBe(
      `attachment; filename="lettre-de-resiliation-${reference}.pdf"`,
    );
    const second = Buffer.from(await response.body());
    expect(second.equals(first)).toBe(true);

    const text = pdfTool("pdftotext", first, ["-layout"]);
    for (const expected of ["Camille Martin", "C-100001", reference, "Box", "Décodeur"]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain(receipt.match(/\d{2}:\d{2}:\d{2}/)![0]);
    const db = app.portal().database.db;
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.reference, reference));
    const endDate = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${row!.effectiveEndDate}T00:00:00Z`),
    );
    expect(text).toContain(endDate);
    const fee = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(
      row!.feeTotalCents / 100,
    );
    expect(text.replace(/\s/g, " ")).toContain(fee.replace(/\s/g, " "));

    const fonts = pdfTool("pdffonts", first).trim().split("\n").slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/); // "emb" column
    expect(pdfTool("pdfinfo", first, ["-meta"])).toMatch(/pdfaid:part>2<|pdfaid:part="2"/);

    const [stored] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, row!.id), eq(documents.kind, "termination_letter")));
    expect(stored!.sha256).toBe(sha256(first));

    const email = await app
      .smtp()
      .waitFor((message) => message.subject?.includes(reference) ?? false);
    expect(email.subject).toBe(`Accusé de réception de votre résiliation ${reference}`);
    expect(email.text).toContain(reference);
    expect(email.text).toContain("Camille Martin");
    expect(email.html).toContain(reference);
    expect(email.html).not.toMatch(/<img/i); // no tracking pixel
    expect(email.attachments).toHaveLength(1);
    expect(sha256(email.attachments[0]!.content)).toBe(sha256(first));
    // The SMTP server has the message before the portal records the delivery: wait for that
    // commit (the job's own transaction), then check what it recorded.
    const acknowledgment = async () =>
      (
        await db
          .select()
          .from(emailMessages)
          .where(and(eq(emailMessages.caseId, row!.id), eq(emailMessages.kind, "acknowledgment")))
      )[0];
    await expect.poll(async () => (await acknowledgment())?.status).toBe("sent");
    const sent = await acknowledgment();
    expect(sent).toMatchObject({ status: "sent", attempts: 1 });
    expect(sent!.smtpMessageId).toBe(email.messageId);
  });
});
