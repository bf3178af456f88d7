// React access to the root loader's language and operator names, with safe fallbacks for error
// pages rendered when the root loader did not run or failed.
import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import type { loader as rootLoader } from "~/root";
import { createTranslate, DEFAULT_LANG, isLang } from "./i18n";
import type { Lang, Translate } from "./i18n";

export interface SiteData {
  lang: Lang;
  operatorName: string;
  /** Unknown when the root loader failed. */
  operatorLegalName?: string;
}

const FALLBACK_SITE_DATA: SiteData = { lang: DEFAULT_LANG, operatorName: "Easy Exit" };

export function useSiteData(): SiteData {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  if (!data) return FALLBACK_SITE_DATA;
  return {
    lang: data.lang,
    operatorName: data.operatorName,
    operatorLegalName: data.operatorLegalName,
  };
}

export function useI18n(): { lang: Lang; t: Translate } {
  const { lang } = useSiteData();
  return useMemo(() => ({ lang, t: createTranslate(lang) }), [lang]);
}

/** The same data for `meta` functions, which receive the matches instead of hooks. */
export function siteDataFromMatches(
  matches: ReadonlyArray<{ id: string; data: unknown }>,
): SiteData {
  const data = matches.find((match) => match.id === "root")?.data;
  if (typeof data !== "object" || data === null) return FALLBACK_SITE_DATA;
  const { lang, operatorName, operatorLegalName } = data as Record<string, unknown>;
  return {
    lang: isLang(lang) ? lang : DEFAULT_LANG,
    operatorName: typeof operatorName === "string" ? operatorName : FALLBACK_SITE_DATA.operatorName,
    operatorLegalName: typeof operatorLegalName === "string" ? operatorLegalName : undefined,
  };
}
