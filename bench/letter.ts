// Termination letter render time (SPEC.md target: median ≤ 10 ms per letter, font parsed once).
// Run alone with `npx tsx bench/letter.ts`; bench/index.ts calls benchLetter().
import { pathToFileURL } from "node:url";
import { renderTerminationLetter } from "../app/documents/render-termination-letter";
import type { TerminationLetterData } from "../app/documents/termination-letter-data";
import { summariseCancellation } from "../app/domain/cancellation-summary";
import { fr } from "../app/domain/jurisdictions/fr";

const WARM_UPS = 20;
const LETTERS = 500;

const FIRST_NAMES = ["Camille", "Léa", "Hugo", "Chloé", "Raphaël", "Éloïse", "Maël", "Anaïs"];
const LAST_NAMES = ["Martin", "Lefèvre", "Guérin", "Dubois", "Rousseau", "Bertrand", "Faure"];

/**
 * A typical two-page letter: one bundle, early-termination fee, two items to return. Names and
 * numbers change from letter to letter, as they do in production (the renderer shares the words it
 * has already shaped between letters, so identical letters would flatter it).
 */
function sampleLetter(index: number): TerminationLetterData {
  const receivedAt = "2026-11-23T09:15:30.000Z";
  const summary = summariseCancellation({
    pack: fr,
    policy: { returnDeadlineDays: 30, returnMethods: ["relay_point", "post_office", "shop"] },
    receivedAt: new Date(receivedAt),
    contracts: [
      {
        id: "contract",
        contractNumber: "CT-2026-000101",
        offerName: "Fibre 1 Gb/s + TV",
        category: "bundle",
        lines: ["+33123456789"],
        facts: {
          monthlyPriceCents: 4499,
          currency: "EUR",
          startDate: "2026-03-13",
          commitmentMonths: 24,
          tacitlyRenewed: false,
          subsidisedDeviceValueCents: 0,
          depositCents: 0,
          prepaidThrough: null,
          creditBalanceCents: 0,
          withdrawalPeriodEnds: null,
        },
        equipment: [
          {
            id: "box",
            kind: "box",
            model: "Nébula Box 8",
            mustReturn: true,
            nonReturnChargeCents: 15000,
            depositCents: 4900,
            currency: "EUR",
          },
          {
            id: "decoder",
            kind: "tv_decoder",
            model: "Nébula TV 4K",
            mustReturn: true,
            nonReturnChargeCents: 10000,
            depositCents: 0,
            currency: "EUR",
          },
        ],
      },
    ],
    endDate: { kind: "earliest" },
    legitimateReason: false,
  });
  return {
    language: "fr",
    jurisdiction: "FR",
    // A different key per letter: nothing is cached between two letters but the font and wording.
    documentKey: `bench:${index}`,
    operator: {
      legalName: "Nébula Télécom SAS",
      addressLines: ["12 rue des Étoiles", "75011 Paris"],
      registrationNumber: "RCS Paris 912 345 678",
      vatNumber: "FR32912345678",
      supportEmail: "resiliation@nebula-telecom.example",
      supportPhone: "+33 9 70 00 00 00",
      returnAddress: "Nébula Télécom — Service retours, 4 allée des Entrepôts, 93200 Saint-Denis",
      timeZone: "Europe/Paris",
    },
    subscriber: {
      firstName: FIRST_NAMES[index % FIRST_NAMES.length] ?? "Camille",
      lastName: LAST_NAMES[index % LAST_NAMES.length] ?? "Martin",
      customerNumber: `C-${100_000 + index}`,
      addressLines: [`${1 + (index % 120)} rue de la Roquette`, "75011 Paris"],
      email: `subscriber${index}@example.com`,
    },
    caseReference: `RX-${String(index).padStart(4, "0")}-9QPD`,
    receivedAt,
    effectiveEndDate: summary.endDate,
    terminationType: "ordinary",
    legitimateReason: null,
    contracts: [
      { contractNumber: "CT-2026-000101", offerName: "Fibre 1 Gb/s + TV", lines: ["+33123456789"] },
    ],
    summary,
    legalBasis: [...fr.legalBasis],
    caseLookupUrl: "https://resilier.nebula-telecom.example/dossier",
  };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

export async function benchLetter(): Promise<{ medianMs: number; p95Ms: number }> {
  // Warm-ups include the first letter, which parses the fonts and loads the template.
  for (let index = 0; index < WARM_UPS; index += 1) {
    await renderTerminationLetter(sampleLetter(index));
  }
  const times: number[] = [];
  for (let index = 0; index < LETTERS; index += 1) {
    const data = sampleLetter(WARM_UPS + index);
    const start = performance.now();
    await renderTerminationLetter(data);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { medianMs, p95Ms } = await benchLetter();
  console.log(
    `letter render: median ${medianMs.toFixed(1)} ms, p95 ${p95Ms.toFixed(1)} ms (${LETTERS} letters)`,
  );
}
