import type { Jurisdiction } from "../enums";
import { fr } from "./fr";
import type { JurisdictionPack } from "./types";

const PACKS: Partial<Record<Jurisdiction, JurisdictionPack>> = { FR: fr };

/** The rule pack of a contract's jurisdiction. */
export function packFor(jurisdiction: Jurisdiction): JurisdictionPack {
  const pack = PACKS[jurisdiction];
  if (pack === undefined) throw new Error(`no rule pack for jurisdiction ${jurisdiction} yet`);
  return pack;
}

export type * from "./types";
