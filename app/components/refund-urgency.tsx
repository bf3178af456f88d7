import { REFUND_SOON_DAYS, type RefundUrgency } from "~/domain/returns";
import type { Translate } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";

/** "3 refunds overdue, 2 due within 2 days": the overdue alarm of the list and the home page. */
export function refundAlarmText(t: Translate, alarms: { overdue: number; soon: number }): string {
  const form = (count: number) => (count === 0 ? "zero" : count === 1 ? "one" : "other");
  return t("staff.refunds.alarm", {
    overdue: t(`staff.refunds.alarmOverdue.${form(alarms.overdue)}`, { count: alarms.overdue }),
    soon: t(`staff.refunds.alarmSoon.${form(alarms.soon)}`, {
      count: alarms.soon,
      days: REFUND_SOON_DAYS,
    }),
  });
}

/** How urgent a refund is: red when overdue, amber when due within 2 days. */
export function UrgencyFlag({
  urgency,
  daysLeft,
}: {
  urgency: RefundUrgency;
  daysLeft: number | null;
}) {
  const { t } = useI18n();
  if (urgency === "none" || daysLeft === null) return <span className="muted">—</span>;
  if (urgency === "overdue")
    return (
      <span className="badge badge--danger">{t("staff.refunds.overdue", { days: -daysLeft })}</span>
    );
  if (urgency === "soon")
    return (
      <span className="badge badge--warning">
        {daysLeft === 0 ? t("staff.refunds.dueToday") : t("staff.refunds.soon", { days: daysLeft })}
      </span>
    );
  return <span className="badge badge--success">{t("staff.refunds.onTime")}</span>;
}
