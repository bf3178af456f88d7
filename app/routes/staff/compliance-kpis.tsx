import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { DataTable, HorizontalBars, WeeklyMultiples } from "~/components/charts";
import { ErrorSummary, TextField, type FieldErrors } from "~/components/form";
import { StaffHeading } from "~/components/staff-frame";
import {
  ACK_TARGET_MS,
  COMPLIANCE_KPIS,
  KPI_MAX_DAYS,
  KPI_TIME_ZONE,
  PERIOD_FROM_PARAM,
  PERIOD_TO_PARAM,
  caseSetHref,
  daysOf,
  parseKpiPeriod,
  periodQuery,
  share,
  type ComplianceKpi,
  type KpiCaseSet,
  type KpiPeriod,
} from "~/domain/compliance-kpis";
import { dateInZone, type IsoDate } from "~/domain/dates";
import { formatDate, localeFor, translate, type Lang, type Translate } from "~/i18n/i18n";
import type { StaffMessageKey } from "~/i18n/messages/staff.fr";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { weekStart } from "~/domain/analytics";
import { kpiTable, type KpiTable } from "~/services/compliance-kpis/kpi-tables";
import {
  loadComplianceKpis,
  type ComplianceKpis,
} from "~/services/compliance-kpis/load-compliance-kpis.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

// The legal-deadline KPIs (issue #8, docs/decisions/010): for a period of days (a GET form,
// default the last 8 weeks), each figure with its one-sentence definition, a chart drawn on the
// server, its table by day, its CSV, and links to the cases behind it.

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.kpis.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.complianceKpis);
  const searchParams = new URL(args.request.url).searchParams;
  const today = dateInZone(new Date(), KPI_TIME_ZONE);
  const typed = {
    from: (searchParams.get(PERIOD_FROM_PARAM) ?? "").slice(0, 20),
    to: (searchParams.get(PERIOD_TO_PARAM) ?? "").slice(0, 20),
  };
  const parsed = parseKpiPeriod(searchParams, today);
  if (!parsed.ok) return { today, typed, errors: parsed.errors as FieldErrors, kpis: null };
  const kpis = await loadComplianceKpis(args.context.db, { period: parsed.period, today });
  return {
    today,
    typed: { from: parsed.period.from, to: parsed.period.to },
    errors: {} as FieldErrors,
    kpis,
  };
}

// ---- Formats (Intl, in the reader's language) ---------------------------------------------

function formatters(lang: Lang) {
  const locale = localeFor(lang);
  const integer = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const unit = (name: string, digits: number) =>
    new Intl.NumberFormat(locale, {
      style: "unit",
      unit: name,
      unitDisplay: "short",
      maximumFractionDigits: digits,
    });
  const secondsFormat = unit("second", 1);
  const minutesFormat = unit("minute", 1);
  const hoursFormat = unit("hour", 1);
  const daysFormat = unit("day", 1);
  /** A duration in the unit that reads best: 1,2 s · 3,5 min · 5,2 h · 3,1 j. */
  const duration = (seconds: number | null) => {
    if (seconds === null) return "—";
    if (seconds < 60) return secondsFormat.format(seconds);
    if (seconds < 3600) return minutesFormat.format(seconds / 60);
    if (seconds < 48 * 3600) return hoursFormat.format(seconds / 3600);
    return daysFormat.format(seconds / 86_400);
  };
  return {
    count: (value: number) => integer.format(value),
    share: (value: number | null) => (value === null ? "—" : percent.format(value)),
    duration,
  };
}
type Formats = ReturnType<typeof formatters>;

function plural(lang: Lang, count: number): "one" | "other" {
  return new Intl.PluralRules(localeFor(lang)).select(count) === "one" ? "one" : "other";
}

/** "1 dossier", "12 dossiers": a count with its noun, agreed. */
function counted(t: Translate, f: Formats, lang: Lang, noun: string, count: number): string {
  return t(`staff.kpis.noun.${noun}.${plural(lang, count)}` as StaffMessageKey, {
    count: f.count(count),
  });
}

const shortDay = (date: IsoDate, lang: Lang) =>
  formatDate(date, lang, { dateStyle: undefined, day: "numeric", month: "short" });

// ---- The page --------------------------------------------------------------------------------

export default function ComplianceKpisPage() {
  const { t, lang } = useI18n();
  const { typed, errors, kpis, today } = useLoaderData<typeof loader>();
  const f = formatters(lang);
  return (
    <div className="stack stack--large analytics">
      <StaffHeading title={t("staff.kpis.title")} lead={t("staff.kpis.lead")} />
      <ErrorSummary errors={errors} />
      <Form method="get" className="filters" aria-label={t("staff.kpis.periodLabel")}>
        <TextField
          // Remounted per period: back/forward shows the period of the figures on screen.
          key={`from-${typed.from}`}
          name={PERIOD_FROM_PARAM}
          type="date"
          label={t("staff.kpis.from")}
          hint={t("staff.kpis.dateHint")}
          defaultValue={typed.from}
          max={today}
          error={errors[PERIOD_FROM_PARAM]}
        />
        <TextField
          key={`to-${typed.to}`}
          name={PERIOD_TO_PARAM}
          type="date"
          label={t("staff.kpis.to")}
          hint={t("staff.kpis.dateHint")}
          defaultValue={typed.to}
          max={today}
          error={errors[PERIOD_TO_PARAM]}
        />
        <div className="filters__submit">
          <button type="submit" className="button button--primary">
            {t("staff.kpis.show")}
          </button>
        </div>
      </Form>
      {kpis === null ? (
        <div className="notice">
          <p>{t("staff.kpis.fixPeriod", { days: KPI_MAX_DAYS })}</p>
        </div>
      ) : (
        <Dashboard kpis={kpis} t={t} f={f} lang={lang} />
      )}
    </div>
  );
}

interface Props {
  kpis: ComplianceKpis;
  t: Translate;
  f: Formats;
  lang: Lang;
}

function Dashboard({ kpis, t, f, lang }: Props) {
  const { period } = kpis;
  const days = daysOf(period).length;
  return (
    <>
      <p>
        {t(`staff.kpis.range.${plural(lang, days)}`, {
          from: formatDate(period.from, lang),
          to: formatDate(period.to, lang),
          days: f.count(days),
        })}
      </p>
      <Now kpis={kpis} t={t} f={f} lang={lang} />
      <Notices kpis={kpis} t={t} f={f} lang={lang} />
      <Acknowledgment kpis={kpis} t={t} f={f} lang={lang} />
      <Effective kpis={kpis} t={t} f={f} lang={lang} />
      <Refunds kpis={kpis} t={t} f={f} lang={lang} />
      <Returns kpis={kpis} t={t} f={f} lang={lang} />
      <Unmatched kpis={kpis} t={t} f={f} lang={lang} />
      <Withdrawals kpis={kpis} t={t} f={f} lang={lang} />
      <details className="analytics-method">
        <summary>{t("staff.kpis.method.title")}</summary>
        <ul className="list">
          <li>{t("staff.kpis.method.days")}</li>
          <li>{t("staff.kpis.method.running")}</li>
          <li>{t("staff.kpis.method.legalDays")}</li>
          <li>{t("staff.kpis.method.links")}</li>
          <li>{t("staff.kpis.method.csv")}</li>
          <li>{t("staff.kpis.method.audit")}</li>
        </ul>
      </details>
    </>
  );
}

/** The two figures of now, whatever the period: what needs doing today. */
function Now({ kpis, t, f, lang }: Props) {
  const { refundsOverdue, noticesPending } = kpis.now;
  return (
    <section aria-labelledby="kpis-now" className="stack">
      <h2 id="kpis-now">{t("staff.kpis.now.heading")}</h2>
      <dl className="kpis">
        <div className="kpi">
          <dt>{t("staff.kpis.now.refundsOverdue")}</dt>
          <dd>
            <span className={refundsOverdue.refunds > 0 ? "kpi__value alarm" : "kpi__value"}>
              {f.count(refundsOverdue.refunds)}
            </span>
            <span className="kpi__detail">
              {refundsOverdue.oldestDueDate === null
                ? t("staff.kpis.now.refundsNone")
                : t("staff.kpis.now.refundsOldest", {
                    date: formatDate(refundsOverdue.oldestDueDate, lang),
                  })}
            </span>
            {refundsOverdue.cases > 0 ? (
              <Link to={caseSetHref("refundsOverdue", kpis.period)}>
                {t("staff.kpis.seeCases", { count: f.count(refundsOverdue.cases) })}
                <span className="visually-hidden"> — {t("staff.kpis.now.refundsOverdue")}</span>
              </Link>
            ) : null}
          </dd>
        </div>
        <div className="kpi">
          <dt>{t("staff.kpis.now.noticesPending")}</dt>
          <dd>
            <span className="kpi__value">{f.count(noticesPending.notices)}</span>
            <span className="kpi__detail">
              {noticesPending.oldestReceivedAt === null
                ? t("staff.kpis.now.noticesNone")
                : t("staff.kpis.now.noticesOldest", {
                    date: formatDate(noticesPending.oldestReceivedAt, lang, {
                      timeZone: KPI_TIME_ZONE,
                    }),
                  })}
            </span>
            {noticesPending.notices > 0 ? (
              <Link to="/staff/avis">{t("staff.kpis.now.noticesLink")}</Link>
            ) : null}
          </dd>
        </div>
      </dl>
    </section>
  );
}

// ---- One KPI's card ----------------------------------------------------------------------------

interface CaseLink {
  set: KpiCaseSet;
  /** The number of cases the link lists (a case with two refunds counts once). */
  cases: number;
  label: StaffMessageKey;
}

function KpiCard({
  kpi,
  title,
  value,
  detail,
  definition,
  period,
  links,
  empty,
  chart,
  table,
  t,
  f,
  lang,
}: {
  kpi: ComplianceKpi;
  title: string;
  value: string;
  detail: string;
  definition: string;
  period: KpiPeriod;
  links: CaseLink[];
  /** Shown instead of the chart when there is nothing to draw. */
  empty: string | null;
  chart: ReactNode;
  table: KpiTable;
} & Omit<Props, "kpis">) {
  const id = `kpi-${COMPLIANCE_KPIS[kpi]}`;
  return (
    <section className="chart-card stack" aria-labelledby={`${id}-heading`} data-kpi={kpi}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <p className="kpi-figure">
        <span className="kpi__value" data-figure="">
          {value}
        </span>{" "}
        <span className="kpi__detail">{detail}</span>
      </p>
      <p className="muted">
        <strong>{t("staff.kpis.definition")}</strong> {definition}
      </p>
      {empty ? (
        <div className="notice">
          <p>{empty}</p>
        </div>
      ) : (
        <div className="chart-box" role="region" aria-labelledby={`${id}-heading`} tabIndex={0}>
          {chart}
        </div>
      )}
      <ul className="list kpi-links">
        {links.map((link) =>
          link.cases > 0 ? (
            <li key={link.set}>
              <Link to={caseSetHref(link.set, period)} data-case-set={link.set}>
                {t(link.label, { count: f.count(link.cases) })}
              </Link>
            </li>
          ) : null,
        )}
        <li>
          <a
            href={`/staff/conformite/indicateurs/${COMPLIANCE_KPIS[kpi]}/csv?${periodQuery(period)}`}
            download
          >
            {t("staff.kpis.downloadCsv")}
            <span className="visually-hidden"> — {title}</span>
          </a>
        </li>
      </ul>
      <details className="chart-data">
        <summary>
          {t("staff.kpis.showTable")}
          <span className="visually-hidden"> — {title}</span>
        </summary>
        <KpiDataTable id={`${id}-table`} caption={title} table={table} t={t} f={f} lang={lang} />
      </details>
    </section>
  );
}

function KpiDataTable({
  id,
  caption,
  table,
  t,
  f,
  lang,
}: { id: string; caption: string; table: KpiTable } & Omit<Props, "kpis">) {
  const cell = (unit: KpiTable["columns"][number]["unit"], value: number | null) => {
    if (value === null) return "—";
    switch (unit) {
      case "count":
        return f.count(value);
      case "share":
        return f.share(value);
      case "seconds":
        return f.duration(value);
      case "hours":
        return f.duration(value * 3600);
    }
  };
  return (
    <DataTable
      id={id}
      caption={caption}
      head={[t(table.dayLabel), ...table.columns.map((column) => t(column.label))]}
      rows={table.rows.map((row) => ({
        key: row.day ?? "total",
        cells: [
          row.day === null
            ? t("staff.kpis.total")
            : formatDate(row.day, lang, { dateStyle: "medium" }),
          ...row.values.map((value, at) => cell(table.columns[at]!.unit, value)),
        ],
      }))}
    />
  );
}

/** "12 (34,5 %)": a count and its share of the cohort, the label of a bar. */
function countShare(t: Translate, f: Formats, count: number, total: number): string {
  return t("staff.kpis.countShare", { count: f.count(count), share: f.share(share(count, total)) });
}

/** Horizontal bars of a cohort's breakdown: each bar's length is its share of the cohort. */
function Breakdown({
  id,
  title,
  desc,
  rows,
  total,
  t,
  f,
}: {
  id: string;
  title: string;
  desc: string;
  rows: { key: string; label: string; count: number; hideIfZero?: boolean }[];
  total: number;
  t: Translate;
  f: Formats;
}) {
  return (
    <HorizontalBars
      id={id}
      title={title}
      desc={desc}
      max={total}
      rows={rows
        .filter((row) => !(row.hideIfZero && row.count === 0))
        .map((row) => ({
          key: row.key,
          label: row.label,
          value: row.count,
          valueLabel: countShare(t, f, row.count, total),
        }))}
    />
  );
}

// ---- The seven KPIs --------------------------------------------------------------------------

function Notices({ kpis, t, f, lang }: Props) {
  const { days, total } = kpis.notices;
  const notices = total.cases + total.unmatched;
  const title = t("staff.kpis.notices.title");
  // A bar per day up to two months, per week beyond (the table and the CSV stay per day).
  const weekly = days.length > 62;
  const buckets = weekly ? groupByWeek(days) : days.map((day) => ({ key: day.day!, ...day }));
  return (
    <KpiCard
      kpi="notices"
      title={title}
      value={f.count(notices)}
      detail={t("staff.kpis.notices.detail", {
        perDay: new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 1 }).format(
          notices / days.length,
        ),
        cases: counted(t, f, lang, "case", total.cases),
        unmatched: counted(t, f, lang, "unmatchedNotice", total.unmatched),
      })}
      definition={t("staff.kpis.notices.definition")}
      period={kpis.period}
      links={[{ set: "received", cases: total.cases, label: "staff.kpis.notices.link" }]}
      empty={notices === 0 ? t("staff.kpis.notices.empty") : null}
      table={kpiTable("notices", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <WeeklyMultiples
          id="svg-kpi-notices"
          title={title}
          desc={t(weekly ? "staff.kpis.notices.descWeekly" : "staff.kpis.notices.descDaily", {
            notices: f.count(notices),
          })}
          weekLabels={buckets.map((bucket) => shortDay(bucket.key, lang))}
          max={Math.max(0, ...buckets.map((bucket) => bucket.cases + bucket.unmatched))}
          series={[
            {
              key: "notices",
              label: t(weekly ? "staff.kpis.notices.perWeek" : "staff.kpis.notices.perDay"),
              summary: counted(t, f, lang, "notice", notices),
              values: buckets.map((bucket) => bucket.cases + bucket.unmatched),
              format: (value) => f.count(value),
            },
          ]}
        />
      }
    />
  );
}

function groupByWeek(days: ComplianceKpis["notices"]["days"]) {
  const weeks = new Map<IsoDate, { key: IsoDate; cases: number; unmatched: number }>();
  for (const day of days) {
    const key = weekStart(day.day!);
    const week = weeks.get(key) ?? { key, cases: 0, unmatched: 0 };
    week.cases += day.cases;
    week.unmatched += day.unmatched;
    weeks.set(key, week);
  }
  return [...weeks.values()];
}

function Acknowledgment({ kpis, t, f, lang }: Props) {
  const { total } = kpis.acknowledgment;
  const title = t("staff.kpis.ack.title");
  const target = f.duration(ACK_TARGET_MS / 1000);
  return (
    <KpiCard
      kpi="acknowledgment"
      title={title}
      value={f.share(share(total.withinTarget, total.notified))}
      detail={t("staff.kpis.ack.detail", {
        within: f.count(total.withinTarget),
        cases: counted(t, f, lang, "case", total.notified),
        target,
        median: f.duration(total.medianMs === null ? null : total.medianMs / 1000),
        p95: f.duration(total.p95Ms === null ? null : total.p95Ms / 1000),
      })}
      definition={t("staff.kpis.ack.definition", { target })}
      period={kpis.period}
      links={[
        { set: "acknowledged", cases: total.notified, label: "staff.kpis.ack.link" },
        {
          set: "acknowledgedLate",
          cases: total.notified - total.withinTarget,
          label: "staff.kpis.ack.lateLink",
        },
      ]}
      empty={total.notified === 0 ? t("staff.kpis.ack.empty") : null}
      table={kpiTable("acknowledgment", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-ack"
          title={title}
          desc={t("staff.kpis.ack.desc", {
            share: f.share(share(total.withinTarget, total.notified)),
            target,
          })}
          total={total.notified}
          t={t}
          f={f}
          rows={[
            { key: "1s", label: t("staff.kpis.ack.upTo1s"), count: total.upTo1s },
            { key: "5s", label: t("staff.kpis.ack.upTo5s", { target }), count: total.upTo5s },
            { key: "60s", label: t("staff.kpis.ack.upTo60s", { target }), count: total.upTo60s },
            { key: "more", label: t("staff.kpis.ack.over60s"), count: total.over60s },
            {
              key: "none",
              label: t("staff.kpis.ack.notDelivered"),
              count: total.notified - total.delivered,
            },
          ]}
        />
      }
    />
  );
}

function Effective({ kpis, t, f, lang }: Props) {
  const { total } = kpis.effective;
  const title = t("staff.kpis.effective.title");
  return (
    <KpiCard
      kpi="effective"
      title={title}
      value={f.share(share(total.onDate, total.ending))}
      detail={t("staff.kpis.effective.detail", {
        onDate: f.count(total.onDate),
        cases: counted(t, f, lang, "case", total.ending),
      })}
      definition={t("staff.kpis.effective.definition")}
      period={kpis.period}
      links={[
        { set: "ending", cases: total.ending, label: "staff.kpis.effective.link" },
        {
          set: "effectiveLate",
          cases: total.ending - total.onDate,
          label: "staff.kpis.effective.lateLink",
        },
      ]}
      empty={total.ending === 0 ? t("staff.kpis.effective.empty") : null}
      table={kpiTable("effective", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-effective"
          title={title}
          desc={t("staff.kpis.effective.desc", {
            share: f.share(share(total.onDate, total.ending)),
          })}
          total={total.ending}
          t={t}
          f={f}
          rows={[
            { key: "on", label: t("staff.kpis.col.onDate"), count: total.onDate },
            { key: "later", label: t("staff.kpis.col.later"), count: total.later },
            {
              key: "earlier",
              label: t("staff.kpis.col.earlier"),
              count: total.earlier,
              hideIfZero: true,
            },
            { key: "notYet", label: t("staff.kpis.col.notYet"), count: total.notYet },
          ]}
        />
      }
    />
  );
}

function Refunds({ kpis, t, f, lang }: Props) {
  const { total } = kpis.refunds;
  const title = t("staff.kpis.refunds.title");
  return (
    <KpiCard
      kpi="refunds"
      title={title}
      value={f.share(share(total.paidOnTime, total.due))}
      detail={t("staff.kpis.refunds.detail", {
        paid: f.count(total.paidOnTime),
        refunds: counted(t, f, lang, "refund", total.due),
      })}
      definition={t("staff.kpis.refunds.definition")}
      period={kpis.period}
      links={[
        { set: "refundsDue", cases: total.cases, label: "staff.kpis.refunds.link" },
        { set: "refundsLate", cases: total.casesLate, label: "staff.kpis.refunds.lateLink" },
      ]}
      empty={total.due === 0 ? t("staff.kpis.refunds.empty") : null}
      table={kpiTable("refunds", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-refunds"
          title={title}
          desc={t("staff.kpis.refunds.desc", {
            share: f.share(share(total.paidOnTime, total.due)),
          })}
          total={total.due}
          t={t}
          f={f}
          rows={[
            { key: "onTime", label: t("staff.kpis.col.paidOnTime"), count: total.paidOnTime },
            { key: "late", label: t("staff.kpis.col.paidLate"), count: total.paidLate },
            { key: "unpaid", label: t("staff.kpis.col.unpaid"), count: total.unpaid },
          ]}
        />
      }
    />
  );
}

function Returns({ kpis, t, f, lang }: Props) {
  const { total } = kpis.returns;
  const title = t("staff.kpis.returns.title");
  return (
    <KpiCard
      kpi="returns"
      title={title}
      value={f.share(share(total.onTime, total.due))}
      detail={t("staff.kpis.returns.detail", {
        onTime: f.count(total.onTime),
        returns: counted(t, f, lang, "return", total.due),
      })}
      definition={t("staff.kpis.returns.definition")}
      period={kpis.period}
      links={[
        { set: "returnsDue", cases: total.due, label: "staff.kpis.returns.link" },
        {
          set: "returnsLate",
          cases: total.due - total.onTime,
          label: "staff.kpis.returns.lateLink",
        },
      ]}
      empty={total.due === 0 ? t("staff.kpis.returns.empty") : null}
      table={kpiTable("returns", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-returns"
          title={title}
          desc={t("staff.kpis.returns.desc", { share: f.share(share(total.onTime, total.due)) })}
          total={total.due}
          t={t}
          f={f}
          rows={[
            { key: "onTime", label: t("staff.kpis.col.onTime"), count: total.onTime },
            { key: "late", label: t("staff.kpis.col.late"), count: total.late },
            { key: "incomplete", label: t("staff.kpis.col.incomplete"), count: total.incomplete },
          ]}
        />
      }
    />
  );
}

function Unmatched({ kpis, t, f, lang }: Props) {
  const { total } = kpis.unmatched;
  const title = t("staff.kpis.unmatched.title");
  const median =
    total.medianHoursToMatch === null ? "—" : f.duration(total.medianHoursToMatch * 3600);
  return (
    <KpiCard
      kpi="unmatched"
      title={title}
      value={f.count(total.received)}
      detail={t("staff.kpis.unmatched.detail", {
        matched: f.count(total.matched),
        median,
        rejected: f.count(total.rejected),
        pending: f.count(total.pending),
      })}
      definition={t("staff.kpis.unmatched.definition")}
      period={kpis.period}
      links={[{ set: "noticesMatched", cases: total.matched, label: "staff.kpis.unmatched.link" }]}
      empty={total.received === 0 ? t("staff.kpis.unmatched.empty") : null}
      table={kpiTable("unmatched", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-unmatched"
          title={title}
          desc={t("staff.kpis.unmatched.desc", {
            received: f.count(total.received),
            median,
          })}
          total={total.received}
          t={t}
          f={f}
          rows={[
            { key: "matched", label: t("staff.kpis.col.matched"), count: total.matched },
            { key: "rejected", label: t("staff.kpis.col.rejected"), count: total.rejected },
            { key: "pending", label: t("staff.kpis.col.pending"), count: total.pending },
          ]}
        />
      }
    />
  );
}

function Withdrawals({ kpis, t, f, lang }: Props) {
  const { total } = kpis.withdrawals;
  const title = t("staff.kpis.withdrawals.title");
  return (
    <KpiCard
      kpi="withdrawals"
      title={title}
      value={f.count(total.withdrawn)}
      detail={t("staff.kpis.withdrawals.detail", {
        share: f.share(share(total.withdrawn, total.cases)),
        cases: counted(t, f, lang, "case", total.cases),
      })}
      definition={t("staff.kpis.withdrawals.definition")}
      period={kpis.period}
      links={[{ set: "withdrawn", cases: total.withdrawn, label: "staff.kpis.withdrawals.link" }]}
      empty={total.cases === 0 ? t("staff.kpis.withdrawals.empty") : null}
      table={kpiTable("withdrawals", kpis)}
      t={t}
      f={f}
      lang={lang}
      chart={
        <Breakdown
          id="svg-kpi-withdrawals"
          title={title}
          desc={t("staff.kpis.withdrawals.desc", {
            share: f.share(share(total.withdrawn, total.cases)),
          })}
          total={total.cases}
          t={t}
          f={f}
          rows={[
            { key: "withdrawn", label: t("staff.kpis.col.withdrawn"), count: total.withdrawn },
            { key: "kept", label: t("staff.kpis.col.kept"), count: total.cases - total.withdrawn },
          ]}
        />
      }
    />
  );
}
