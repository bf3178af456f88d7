import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../i18n/i18n";
import {
  EMAIL_MESSAGE_KEYS,
  fill,
  loadEmailTemplates,
  parseEmailTemplates,
} from "./email-templates";
import { renderEmail } from "./render-email";

const values = {
  operatorName: "Nébula Télécom",
  operatorLegalName: "Nébula Télécom SAS",
  operatorAddress: "12 rue des Étoiles, 75011 Paris",
  registrationNumber: "RCS Paris 912 345 678",
  supportEmail: "resiliation@nebula-telecom.example",
  firstName: "Camille",
  lastName: "<Martin>",
  reference: "RX-7K3M-9QPD",
  receivedAt: "23 novembre 2026 à 10:15:30 UTC+1",
  withdrawnAt: "24 novembre 2026 à 09:00:00 UTC+1",
  contracts: "Fibre 1 Gb/s + TV (CT-2026-000101)",
  endDate: "3 décembre 2026",
  fees: "164,00 €",
  equipment: "Box internet (Nébula Box 8), à rendre au plus tard le 2 janvier 2027.",
  refunds: "aucun.",
  caseUrl: "https://exit.example/dossier/abc",
  reason: "aucun contrat ne correspond aux informations indiquées.",
  cancelUrl: "https://exit.example/resilier",
  returnNumber: "RT-4B2C-8DFG",
  deadline: "2 janvier 2027",
  receivedItems: "– Box internet Nébula Box 8 : reçu en bon état",
  returnState: "Vous avez rendu tout le matériel demandé. Merci.",
  depositNote:
    "Votre dépôt de garantie vous sera remboursé (49,00 €) au plus tard le 12 janvier 2027.",
  daysLeft: "dans 7 jours",
  items: "– Décodeur TV Nébula TV 4K",
  chargeTotal: "90,00 €",
  chargedItems: "– Décodeur TV Nébula TV 4K : 90,00 €",
  statement: "Dépôt de garantie : 49,00 €.",
  amount: "49,00 €",
  issuedOn: "5 janvier 2027",
  refundKind: "Dépôt de garantie",
  paymentReference: "VIR-2027-0001",
  // The retention email: what the winback.send-email job adds (winbackEmailValues).
  agentName: "Inès",
  stopUrl: "https://exit.example/contact/arret/c3RvcC1jb250YWN0LXRva2Vu?lang=fr",
};

/** The offer sentence, as the job builds it from the language's own wording. */
const offerText = (templates: ReturnType<typeof loadEmailTemplates>) =>
  fill(templates.values.winbackOffer, {
    offerName: "Fibre Essentielle à 19,99 €",
    offerDescription: "Six mois à prix réduit, sans engagement.",
  });

describe("emails", () => {
  it("has every message in every language, each with a subject and a body", () => {
    for (const lang of LANGUAGES) {
      const templates = loadEmailTemplates("FR", lang);
      for (const kind of EMAIL_MESSAGE_KEYS) {
        const email = renderEmail(
          templates,
          kind,
          { ...values, offerText: offerText(templates) },
          lang,
        );
        expect(email.subject.length).toBeGreaterThan(5);
        expect(email.text).toContain("Nébula Télécom SAS");
        expect(email.html).toContain(`lang="${lang}"`);
      }
    }
  });

  it("tells a rejected notifier why, and where to try again", () => {
    const templates = loadEmailTemplates("FR", "en");
    const email = renderEmail(
      templates,
      "notice_rejected",
      { ...values, reason: templates.rejectionReasons.identity_mismatch },
      "en",
    );
    expect(email.subject).toContain("RX-7K3M-9QPD");
    expect(email.text).toContain("the name you gave does not match the contract holder");
    expect(email.html).toContain('href="https://exit.example/resilier"');
  });

  it("escapes what it inserts into HTML, links the case link, and loads no remote content", () => {
    const email = renderEmail(loadEmailTemplates("FR", "fr"), "acknowledgment", values, "fr");
    expect(email.subject).toBe("Accusé de réception de votre résiliation RX-7K3M-9QPD");
    expect(email.html).toContain("&lt;Martin&gt;");
    expect(email.html).not.toContain("<Martin>");
    expect(email.html).toContain('<a href="https://exit.example/dossier/abc"');
    expect(email.html).not.toMatch(/<img|<script|src=/i);
    expect(email.text).toContain("Camille <Martin>");
  });

  it("signs the retention email with the agent, states the offer and ends with the stop link", () => {
    for (const lang of ["fr", "en"] as const) {
      const templates = loadEmailTemplates("FR", lang);
      const email = renderEmail(
        templates,
        "winback",
        { ...values, offerText: offerText(templates) },
        lang,
      );
      expect(email.subject).toContain("RX-7K3M-9QPD");
      expect(email.text).toContain("Inès");
      expect(email.text).toContain("Fibre Essentielle à 19,99 €");
      expect(email.text).toContain(values.stopUrl);
      expect(email.html).toContain(`<a href="${values.stopUrl}"`);
      expect(email.html).not.toMatch(/<img|<script|src=/i);
    }
  });

  it("words the acknowledgment of a withdrawal from the contract on its own", () => {
    const email = renderEmail(
      loadEmailTemplates("FR", "en"),
      "acknowledgment_withdrawal",
      values,
      "en",
    );
    expect(email.subject).toBe("Acknowledgment of your withdrawal RX-7K3M-9QPD");
    expect(email.text).toContain("within 14 days");
    expect(email.text).not.toContain("withdraw your cancellation");
  });

  it("names the file and the message when a template file is incomplete or misspelt", () => {
    const { acknowledgment_withdrawal: _removed, ...missing } = loadEmailTemplates("PT", "pt");
    expect(() => parseEmailTemplates(missing, "pt/emails.pt.json")).toThrow(
      /^pt\/emails\.pt\.json: acknowledgment_withdrawal: /,
    );
    expect(() =>
      parseEmailTemplates({ ...loadEmailTemplates("DE", "de"), acknowledgement: {} }, "x.json"),
    ).toThrow(/x\.json: acknowledgement: /);
  });

  it("refuses a placeholder without a value instead of sending a hole", () => {
    expect(() => fill("Bonjour {firstName} {nickname}", { firstName: "Camille" })).toThrow(
      "{nickname}",
    );
  });
});
