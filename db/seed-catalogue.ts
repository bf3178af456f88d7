import type { Contract, Equipment } from "./schema";

// The demo operator's catalogue: names for the demo subscribers, the products they hold, the
// equipment tariff and the win-back offers the retention team makes.

export const FIRST_NAMES = [
  "Léa",
  "Hugo",
  "Chloé",
  "Louis",
  "Manon",
  "Gabriel",
  "Emma",
  "Jules",
  "Zoé",
  "Arthur",
  "Jade",
  "Raphaël",
  "Louise",
  "Adam",
  "Alice",
  "Noé",
  "Lina",
  "Théo",
  "Rose",
  "Éloïse",
  "Maël",
  "Anaïs",
  "Sacha",
  "Océane",
  "François",
  "Hélène",
  "Jérôme",
  "Céline",
  "Benoît",
  "Noémie",
];
export const LAST_NAMES = [
  "Dubois",
  "Durand",
  "Lefèvre",
  "Moreau",
  "Laurent",
  "Simon",
  "Michel",
  "Garcia",
  "David",
  "Bertrand",
  "Roux",
  "Vincent",
  "Fournier",
  "Morel",
  "Girard",
  "André",
  "Mercier",
  "Dupont",
  "Lambert",
  "Bonnet",
  "François",
  "Martinez",
  "Legrand",
  "Garnier",
  "Faure",
  "Rousseau",
  "Blanc",
  "Guérin",
  "Muller",
  "Henry",
];
export interface OfferTemplate {
  offerName: string;
  category: Contract["category"];
  monthlyPriceCents: number;
  commitmentMonths: number;
  equipment: { kind: Equipment["kind"]; model: string }[];
}

export const OFFERS: readonly OfferTemplate[] = [
  {
    offerName: "Fibre 1 Gb/s + TV",
    category: "bundle",
    monthlyPriceCents: 4499,
    commitmentMonths: 24,
    equipment: [
      { kind: "box", model: "Nébula Box 8" },
      { kind: "tv_decoder", model: "Nébula TV 4K" },
      { kind: "remote", model: "Télécommande TV 4K" },
    ],
  },
  {
    offerName: "Fibre 500 Mb/s",
    category: "internet",
    monthlyPriceCents: 2999,
    commitmentMonths: 12,
    equipment: [{ kind: "box", model: "Nébula Box 7" }],
  },
  {
    offerName: "ADSL Essentiel",
    category: "internet",
    monthlyPriceCents: 2499,
    commitmentMonths: 0,
    equipment: [
      { kind: "box", model: "Nébula Box 6" },
      { kind: "powerline", model: "Kit CPL Nébula" },
    ],
  },
  {
    offerName: "Mobile 100 Go",
    category: "mobile",
    monthlyPriceCents: 1999,
    commitmentMonths: 0,
    equipment: [{ kind: "sim", model: "Nébula SIM" }],
  },
  {
    offerName: "Mobile 20 Go",
    category: "mobile",
    monthlyPriceCents: 999,
    commitmentMonths: 0,
    equipment: [{ kind: "sim", model: "Nébula SIM" }],
  },
  {
    offerName: "TV Essentielle",
    category: "tv",
    monthlyPriceCents: 1299,
    commitmentMonths: 12,
    equipment: [{ kind: "tv_decoder", model: "Nébula TV HD" }],
  },
];

/** Non-return charges of the operator's tariff, in cents. */
export const MODEL_CHARGES: Record<string, number> = {
  "Nébula Box 8": 15000,
  "Nébula Box 7": 12000,
  "Nébula Box 6": 9000,
  "Nébula TV 4K": 10000,
  "Nébula TV HD": 7000,
  "Télécommande TV 4K": 1500,
  "Kit CPL Nébula": 4000,
  "Nébula SIM": 0,
};

/** The win-back offer catalogue (the first three since the first demo; agents pick by queue). */
export const WINBACK_OFFERS = [
  {
    code: "FIBRE-6M-HALF",
    name: "Fibre à moitié prix 6 mois",
    description: "La fibre 1 Gb/s à -50 % pendant 6 mois, sans engagement.",
  },
  {
    code: "MOBILE-DATA-X2",
    name: "Data doublée",
    description: "Le double de data au même prix pendant 12 mois.",
  },
  {
    code: "TECH-PRIORITY",
    name: "Technicien prioritaire",
    description: "Intervention d'un technicien sous 48 h et un mois offert.",
  },
  {
    code: "MOVE-FREE",
    name: "Déménagement offert",
    description: "Transfert de l'abonnement à la nouvelle adresse sans frais, et un mois offert.",
  },
  {
    code: "APOLOGY-CREDIT",
    name: "Geste commercial 30 €",
    description: "Un avoir de 30 € sur la prochaine facture, avec nos excuses.",
  },
] as const;

export type WinbackOfferCode = (typeof WINBACK_OFFERS)[number]["code"];
