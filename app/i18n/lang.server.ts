import { z } from "zod";
import { DEFAULT_LANG, LANGUAGES } from "./i18n";
import type { Lang } from "./i18n";

const LangSchema = z.enum(LANGUAGES);

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export interface ResolvedLang {
  lang: Lang;
  /** Set-Cookie value to send when the language was chosen explicitly with `?lang=`. */
  setCookie?: string;
}

/**
 * Order: `?lang=` (remembered in a cookie), then the `lang` cookie — the subscriber's own choice —,
 * then the language of the rule pack of the contract being cancelled (`pack_lang`, set when the
 * journey identifies a contract: a Portuguese contract defaults to Portuguese), then
 * Accept-Language, then French.
 */
export function resolveLang(request: Request): ResolvedLang {
  const fromQuery = LangSchema.safeParse(new URL(request.url).searchParams.get("lang"));
  if (fromQuery.success) {
    return { lang: fromQuery.data, setCookie: langCookie(fromQuery.data) };
  }

  const fromCookie = LangSchema.safeParse(readCookie(request.headers.get("Cookie"), "lang"));
  if (fromCookie.success) return { lang: fromCookie.data };

  const fromPack = LangSchema.safeParse(readCookie(request.headers.get("Cookie"), "pack_lang"));
  if (fromPack.success) return { lang: fromPack.data };

  return { lang: fromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LANG };
}

export function langCookie(lang: Lang): string {
  return `lang=${lang}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax; HttpOnly`;
}

/** The pack's default language, for this browser session only (not a choice to remember). */
export function packLangCookie(lang: Lang): string {
  return `pack_lang=${lang}; Path=/; SameSite=Lax; HttpOnly`;
}

/** Whether the pack's language replaces the page's: only when the subscriber chose none. */
export function languageChanges(request: Request, current: Lang, packLang: Lang): boolean {
  return (
    current !== packLang &&
    !LangSchema.safeParse(readCookie(request.headers.get("Cookie"), "lang")).success
  );
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** The supported language the browser prefers most (by q-value, then order); q=0 means "not this". */
function fromAcceptLanguage(header: string | null): Lang | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...parameters] = part.trim().split(";");
      const qParameter = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = qParameter === undefined ? 1 : Number(qParameter.slice(2));
      return { primary: tag.trim().toLowerCase().split("-")[0], quality, index };
    })
    .filter((range) => Number.isFinite(range.quality) && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    const parsed = LangSchema.safeParse(range.primary);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
