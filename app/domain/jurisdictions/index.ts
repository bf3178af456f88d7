import type { Jurisdiction } from "../enums";
import { de } from "./de";
import { fr } from "./fr";
import { pt } from "./pt";
import type { JurisdictionPack } from "./types";

const PACKS_BY_CODE: Record<Jurisdiction, JurisdictionPack> = { FR: fr, DE: de, PT: pt };

/** Every rule pack, e.g. for tests that check a rule across jurisdictions. */
export const PACKS: readonly JurisdictionPack[] = [fr, de, pt];

export function allPacks(): readonly JurisdictionPack[] {
  return PACKS;
}

/** The rule pack of a contract's jurisdiction. */
export function packFor(jurisdiction: Jurisdiction): JurisdictionPack {
  return PACKS_BY_CODE[jurisdiction];
}

export type * from "./types";
