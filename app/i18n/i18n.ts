// Browser-safe i18n: the dictionary, translation with {name} interpolation, and Intl formatting.
import { de } from "./messages/de";
import { en } from "./messages/en";
import { fr, type PublicMessageKey } from "./messages/fr";
import { pt } from "./messages/pt";
import { staffDe } from "./messages/staff.de";
import { staffEn } from "./messages/staff.en";
import { staffFr, type StaffMessageKey } from "./messages/staff.fr";
import { staffPt } from "./messages/staff.pt";

/** Every interface text: the public site's and the back office's. */
export type MessageKey = PublicMessageKey | StaffMessageKey;

export const LANGUAGES = ["fr", "en", "pt", "de"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** The French operator's default language. */
export const DEFAULT_LANG: Lang = "fr";

export const messages: Record<Lang, Record<MessageKey, string>> = {
  fr: { ...fr, ...staffFr },
  en: { ...en, ...staffEn },
  pt: { ...pt, ...staffPt },
  de: { ...de, ...staffDe },
};

/** BCP 47 locales used by Intl for each interface language. */
const LOCALES: Record<Lang, string> = { fr: "fr-FR", en: "en-GB", pt: "pt-PT", de: "de-DE" };

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function localeFor(lang: Lang): string {
  return LOCALES[lang];
}

/** Looks up `key` in `lang` and replaces `{name}` placeholders; unknown placeholders are kept. */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const message = messages[lang][key];
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : String(value);
  });
}

export function createTranslate(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Formats a legal date (`YYYY-MM-DD`, no time zone: shown as is) or an instant (`Date` or ISO
 * string: shown in `options.timeZone`, else the runtime's zone). Long style by default.
 */
export function formatDate(
  value: Date | string,
  lang: Lang,
  options: Intl.DateTimeFormatOptions = {},
): string {
  const calendarDate = typeof value === "string" ? CALENDAR_DATE.exec(value) : null;
  if (calendarDate) {
    const [, year, month, day] = calendarDate;
    const utcMidnight = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    return new Intl.DateTimeFormat(localeFor(lang), {
      dateStyle: "long",
      ...options,
      timeZone: "UTC",
    }).format(utcMidnight);
  }
  const instant = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "long", ...options }).format(
    instant,
  );
}

/** An instant to the second with its time zone name, e.g. for a legal receipt time. */
export function formatDateTime(value: Date | string, lang: Lang, timeZone: string): string {
  return formatDate(value, lang, { dateStyle: "long", timeStyle: "long", timeZone });
}

/** Formats an amount in minor units (cents) of an ISO 4217 currency. */
export function formatMoney(cents: number, currency: string, lang: Lang): string {
  const format = new Intl.NumberFormat(localeFor(lang), { style: "currency", currency });
  const fractionDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** fractionDigits);
}
