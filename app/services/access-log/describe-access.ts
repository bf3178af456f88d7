import { isAccessLogType } from "../../domain/access-log";
import { kpiFromSlug } from "../../domain/compliance-kpis";
import { DOCUMENT_KINDS } from "../../domain/enums";
import type { Translate } from "../../i18n/i18n";

// How a row of the staff access log reads: its type's name and a short detail from its data
// (which view of a case, which document, which KPI or filters). Data hold codes and references
// only, so an unknown shape is shown as its plain `key: value` pairs. Pure and browser-safe.

const KNOWN_VIEWS = ["case_detail", "refund", "return", "winback"] as const;

export function accessTypeLabel(t: Translate, type: string): string {
  return isAccessLogType(type) ? t(`staff.accessLog.type.${type}`) : type;
}

function scalar(value: unknown): string | null {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return null;
}

function filtersText(t: Translate, filters: unknown): string {
  if (typeof filters !== "object" || filters === null) return t("staff.accessLog.noFilter");
  const parts = Object.entries(filters as Record<string, unknown>).flatMap(([key, value]) => {
    const text = scalar(value);
    if (text === null) return [];
    const label = (
      {
        staffId: "staff.accessLog.filter.staffId",
        reference: "staff.accessLog.filter.reference",
        type: "staff.accessLog.filter.type",
        from: "staff.accessLog.filter.from",
        to: "staff.accessLog.filter.to",
      } as const
    )[key];
    const shown = key === "type" ? accessTypeLabel(t, text) : text;
    return [label ? `${t(label)} ${shown}` : `${key}: ${shown}`];
  });
  return parts.length === 0 ? t("staff.accessLog.noFilter") : parts.join(" · ");
}

/** A short line under the type (null: nothing more to say). */
export function accessDetailText(
  t: Translate,
  type: string,
  data: Record<string, unknown>,
): string | null {
  if (type === "case.viewed" && typeof data.view === "string") {
    const view = data.view;
    if (view.startsWith("document:")) {
      const kind = view.slice("document:".length);
      return t("staff.accessLog.view.document", {
        kind: (DOCUMENT_KINDS as readonly string[]).includes(kind)
          ? t(`staff.accessLog.document.${kind as (typeof DOCUMENT_KINDS)[number]}`)
          : kind,
      });
    }
    return (KNOWN_VIEWS as readonly string[]).includes(view)
      ? t(`staff.accessLog.view.${view as (typeof KNOWN_VIEWS)[number]}`)
      : view;
  }
  if (type === "notice.viewed") return null;
  if (type === "kpi.exported") {
    const kpi = kpiFromSlug(scalar(data.kpi));
    return t("staff.accessLog.kpiDetail", {
      kpi: kpi ? t(`staff.kpis.name.${kpi}`) : (scalar(data.kpi) ?? "?"),
      from: scalar(data.from) ?? "?",
      to: scalar(data.to) ?? "?",
    });
  }
  if (type === "access_log.viewed" || type === "access_log.exported")
    return filtersText(t, data.filters);
  const parts = Object.entries(data).flatMap(([key, value]) => {
    const text = scalar(value);
    return text === null ? [] : [`${key}: ${text}`];
  });
  return parts.length === 0 ? null : parts.join(" · ");
}
