import type { WinbackStatus } from "~/domain/enums";
import { durationParts, type SlaState } from "~/domain/winback-sla";
import { formatDate, localeFor, type Lang, type Translate } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import { STAFF_TIME_ZONE } from "./staff-frame";

// Pieces shared by the win-back queue and item pages.

const STATUS_TONE: Record<WinbackStatus, string> = {
  new: "info",
  claimed: "info",
  contacted: "info",
  won_back: "success",
  declined: "neutral",
  no_answer: "neutral",
  do_not_contact: "warning",
  expired: "neutral",
};

export function WinbackStatusBadge({ status }: { status: WinbackStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${STATUS_TONE[status]}`}>
      {t(`staff.winback.status.${status}`)}
    </span>
  );
}

/** "5 h 50 min", "2 days 3 hr": Intl's units in the reader's language. */
export function formatDuration(minutes: number, lang: Lang): string {
  const parts = durationParts(minutes);
  const unit = (value: number, name: "day" | "hour" | "minute") =>
    new Intl.NumberFormat(localeFor(lang), {
      style: "unit",
      unit: name,
      unitDisplay: name === "day" ? "long" : "short",
    }).format(value);
  if (parts.days > 0)
    return parts.hours > 0
      ? `${unit(parts.days, "day")} ${unit(parts.hours, "hour")}`
      : unit(parts.days, "day");
  if (parts.hours > 0)
    return parts.minutes > 0
      ? `${unit(parts.hours, "hour")} ${unit(parts.minutes, "minute")}`
      : unit(parts.hours, "hour");
  return unit(parts.minutes, "minute");
}

/** "Monday 24 November at 10:00" in Paris time, the way an agent reads a window's opening. */
export function formatOpening(instant: Date | string, lang: Lang): string {
  return formatDate(instant, lang, {
    dateStyle: undefined,
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: STAFF_TIME_ZONE,
  });
}

/** A time of day in Paris: "13:00". */
export function formatTime(instant: Date | string, lang: Lang): string {
  return formatDate(instant, lang, {
    dateStyle: undefined,
    hour: "2-digit",
    minute: "2-digit",
    timeZone: STAFF_TIME_ZONE,
  });
}

/** A short absolute time for lists: "24 Nov, 14:00". */
export function formatShortDateTime(instant: Date | string, lang: Lang): string {
  return formatDate(instant, lang, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: STAFF_TIME_ZONE,
  });
}

/**
 * A list's compact time, without the year: "24 nov., 14:00". Lists show open work of the last
 * weeks (the policy keeps an item 30 days at most by default), so the day and month suffice.
 */
export function formatListDateTime(instant: Date | string, lang: Lang): string {
  return formatDate(instant, lang, {
    dateStyle: undefined,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: STAFF_TIME_ZONE,
  });
}

export function slaText(t: Translate, lang: Lang, sla: SlaState): string {
  if (sla.kind === "due")
    return t("staff.winback.sla.due", { duration: formatDuration(sla.minutes, lang) });
  if (sla.kind === "overdue")
    return sla.minutes < 1
      ? t("staff.winback.sla.dueNow")
      : t("staff.winback.sla.overdue", { duration: formatDuration(sla.minutes, lang) });
  return sla.lateMinutes > 0
    ? t("staff.winback.sla.metLate", { duration: formatDuration(sla.lateMinutes, lang) })
    : t("staff.winback.sla.met");
}

/**
 * The SLA timer, computed on the server: "due in 5 h", "overdue by 2 h", with the due time
 * (`compact`: without the year, for the queue's list).
 */
export function SlaTimer({
  sla,
  dueAt,
  compact = false,
}: {
  sla: SlaState;
  dueAt: string;
  compact?: boolean;
}) {
  const { t, lang } = useI18n();
  // A first contact made late is done, but not a success: amber, not green.
  const tone =
    sla.kind === "overdue"
      ? "badge--danger"
      : sla.kind === "met"
        ? sla.lateMinutes > 0
          ? "badge--warning"
          : "badge--success"
        : "badge--info";
  return (
    <span className="sla">
      <span className={`badge ${tone}`}>
        <time dateTime={dueAt}>{slaText(t, lang, sla)}</time>
      </span>
      <span className="muted sla__due">
        {t("staff.winback.sla.dueAt", {
          time: compact ? formatListDateTime(dueAt, lang) : formatShortDateTime(dueAt, lang),
        })}
      </span>
    </span>
  );
}

/**
 * A cell's column name, shown only where a table lays its rows out as cards or stacked blocks
 * on a narrow screen (`.cell-label` in app.css). Hidden from screen readers: they announce the
 * column's header.
 */
export function CellLabel({ children }: { children: string }) {
  return (
    <span className="cell-label" aria-hidden="true">
      {children}
    </span>
  );
}

/** Priority 0–100 with its level in words (colour is never the only cue). */
export function PriorityLabel({ priority }: { priority: number }) {
  const { t } = useI18n();
  const level = priority >= 70 ? "high" : priority >= 40 ? "medium" : "low";
  return (
    <span className="nowrap">
      {t(`staff.winback.priority.${level}`)} <span className="muted">({priority})</span>
    </span>
  );
}
