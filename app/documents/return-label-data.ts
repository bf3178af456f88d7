import type { IsoDate } from "../domain/dates";
import type { EquipmentKind } from "../domain/enums";
import type { Lang } from "../i18n/i18n";

// What the return label PDF needs, and nothing else: a plain object built from the database
// rows of a return, so that the renderer (render-return-label.ts) stays pure.

export interface ReturnLabelData {
  jurisdiction: string; // "FR"
  language: Lang;
  returnNumber: string; // e.g. "RT-7K3M-9QPD" (alphabet 23456789BCDFGHJKMNPQRSTVWXYZ)
  caseReference: string; // e.g. "RX-4B2C-8DFG"
  /** ISO instant pinned to the return's creation: PDF CreationDate and the seed of the PDF ID. */
  createdAt: string;
  deadline: IsoDate; // "2026-12-31"
  operator: {
    legalName: string;
    displayName: string;
    registrationNumber: string;
    supportEmail: string;
  };
  /** The warehouse's address, one line per entry (the "to" block of the label). */
  returnAddressLines: string[];
  /** The subscriber (the "from" block). */
  sender: { name: string; addressLines: string[] };
  items: { kind: EquipmentKind; model: string; serial: string | null }[];
}
