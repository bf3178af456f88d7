import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { BarGrid, DataTable, HorizontalBars, WeeklyMultiples } from "~/components/charts";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import {
  ANALYTICS_CHARTS,
  PERIOD_PARAM,
  PERIOD_WEEKS,
  analyticsPeriod,
  parsePeriodWeeks,
  ratio,
  surveyTotals,
  type AnalyticsChart,
} from "~/domain/analytics";
import { addDays, dateInZone } from "~/domain/dates";
import { CONTRACT_CATEGORIES, EXIT_REASONS } from "~/domain/enums";
import { formatDate, localeFor, translate, type Lang, type Translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadAnalyticsDashboard } from "~/services/analytics/load-analytics-dashboard.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

// Retention analytics (issue #7, part 4): every figure comes from the rollups rebuilt every 5
// minutes, so the page answers quickly whatever the number of answers. Charts are SVG drawn on
// the server, each with its table and its CSV; the period is a GET form (works without JS).

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.analytics.metaTitle", { operator: operatorName }) }];
};

const STALE_AFTER_MS = 15 * 60 * 1000;

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.analytics);
  const now = new Date();
  const period = analyticsPeriod(parsePeriodWeeks(new URL(args.request.url).searchParams), now);
  const dashboard = await loadAnalyticsDashboard(args.context.db, period);
  return {
    ...dashboard,
    refreshedAt: dashboard.refreshedAt?.toISOString() ?? null,
    // Three refreshes missed: the job is late or stopped, say so rather than show old figures quietly.
    stale:
      dashboard.refreshedAt !== null &&
      now.getTime() - dashboard.refreshedAt.getTime() > STALE_AFTER_MS,
    today: dateInZone(now, STAFF_TIME_ZONE),
  };
}

type Dashboard = ReturnType<typeof useLoaderData<typeof loader>>;

// ---- Number formats (Intl, in the reader's language) -------------------------------------

function formatters(lang: Lang) {
  const integer = new Intl.NumberFormat(localeFor(lang));
  const oneDecimal = new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(localeFor(lang), {
    style: "percent",
    maximumFractionDigits: 1,
  });
  const wholePercent = new Intl.NumberFormat(localeFor(lang), {
    style: "percent",
    maximumFractionDigits: 0,
  });
  return {
    count: (value: number) => integer.format(value),
    hours: (value: number) => oneDecimal.format(value),
    share: (value: number | null) => (value === null ? "—" : percent.format(value)),
    wholeShare: (value: number | null) => (value === null ? "—" : wholePercent.format(value)),
  };
}
type Formats = ReturnType<typeof formatters>;

/** "1 déc." / "1 Dec": the week labels of the x axis (formatDate's dateStyle set aside). */
const shortDay = (date: string, lang: Lang) =>
  formatDate(date, lang, { dateStyle: undefined, day: "numeric", month: "short" });

/** "one" or "other" in the reader's language (French says "0 réponse", English "0 answers"). */
function plural(lang: Lang, count: number): "one" | "other" {
  return new Intl.PluralRules(localeFor(lang)).select(count) === "one" ? "one" : "other";
}

/** "12 réponses", "1 élément clos": a count with its noun, agreed. */
function counted(
  t: Translate,
  f: Formats,
  lang: Lang,
  noun: "answersCount" | "closedCount",
  count: number,
): string {
  return t(`staff.analytics.${noun}.${plural(lang, count)}`, { count: f.count(count) });
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export default function StaffAnalytics() {
  const { t, lang } = useI18n();
  const data = useLoaderData<typeof loader>();
  const f = formatters(lang);
  const { period } = data;
  const lastDay = addDays(period.to, 6);
  const answers = sum(data.reasonsWeekly.map((week) => week.total));
  const { cases, answered, withConsent } = surveyTotals(data.surveys);
  const items = sum(data.byQueue.map((queue) => queue.items));
  const closed = sum(data.byQueue.map((queue) => queue.closed));
  const wonBack = sum(data.byQueue.map((queue) => queue.wonBack));
  const range = {
    from: formatDate(period.from, lang, { dateStyle: "long" }),
    to: formatDate(lastDay, lang, { dateStyle: "long" }),
  };
  return (
    <div className="stack stack--large analytics">
      <StaffHeading title={t("staff.analytics.title")} lead={t("staff.analytics.lead")} />

      <Form method="get" className="filters" aria-label={t("staff.analytics.filterLabel")}>
        <div className="field">
          <label className="field__label" htmlFor="analytics-period">
            {t("staff.analytics.periodLabel")}
          </label>
          <select
            // Remounted per period: back/forward shows the period of the figures on screen.
            key={period.weeks}
            className="select"
            id="analytics-period"
            name={PERIOD_PARAM}
            defaultValue={String(period.weeks)}
          >
            {PERIOD_WEEKS.map((weeks) => (
              <option key={weeks} value={weeks}>
                {t("staff.analytics.periodOption", { weeks })}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__submit">
          <button type="submit" className="button button--primary">
            {t("staff.analytics.show")}
          </button>
        </div>
      </Form>

      <div className="stack stack--small">
        <p>{t("staff.analytics.range", range)}</p>
        <FreshnessNote refreshedAt={data.refreshedAt} stale={data.stale} today={data.today} />
      </div>

      <section aria-labelledby="analytics-summary" className="stack">
        <h2 id="analytics-summary" className="visually-hidden">
          {t("staff.analytics.summaryHeading")}
        </h2>
        <dl className="kpis">
          <Kpi
            term={t("staff.analytics.kpi.cases")}
            value={f.count(cases)}
            detail={t("staff.analytics.kpi.casesDetail")}
          />
          <Kpi
            term={t("staff.analytics.kpi.share")}
            value={f.share(ratio(answered, cases))}
            detail={t(`staff.analytics.kpi.ofCases.${plural(lang, cases)}`, {
              count: f.count(answered),
              total: f.count(cases),
            })}
          />
          <Kpi
            term={t("staff.analytics.kpi.consent")}
            value={f.share(ratio(withConsent, answered))}
            detail={t(`staff.analytics.kpi.ofAnswers.${plural(lang, answered)}`, {
              count: f.count(withConsent),
              total: f.count(answered),
            })}
          />
          <Kpi
            term={t("staff.analytics.kpi.winback")}
            value={f.share(ratio(wonBack, closed))}
            detail={t(`staff.analytics.kpi.ofClosed.${plural(lang, closed)}`, {
              count: f.count(wonBack),
              total: f.count(closed),
            })}
          />
        </dl>
      </section>

      <section aria-labelledby="analytics-reasons" className="stack stack--large">
        <h2 id="analytics-reasons">{t("staff.analytics.reasons.heading")}</h2>
        {answers === 0 ? (
          <EmptyState text={t("staff.analytics.reasons.empty")} />
        ) : (
          <>
            <ReasonsByWeek data={data} t={t} f={f} lang={lang} answers={answers} range={range} />
            <ReasonsByProduct data={data} t={t} f={f} lang={lang} answers={answers} />
            <ReasonsByTenure data={data} t={t} f={f} lang={lang} answers={answers} />
            <ReasonsByRegion data={data} t={t} f={f} lang={lang} answers={answers} />
          </>
        )}
      </section>

      <section aria-labelledby="analytics-surveys" className="stack stack--large">
        <h2 id="analytics-surveys">{t("staff.analytics.surveys.heading")}</h2>
        {cases === 0 ? (
          <EmptyState text={t("staff.analytics.surveys.empty")} />
        ) : (
          <Surveys data={data} t={t} f={f} lang={lang} />
        )}
      </section>

      <section aria-labelledby="analytics-winback" className="stack stack--large">
        <h2 id="analytics-winback">{t("staff.analytics.winback.heading")}</h2>
        {items === 0 ? (
          <EmptyState text={t("staff.analytics.winback.empty")} />
        ) : (
          <>
            <WinbackByQueue data={data} t={t} f={f} lang={lang} />
            <WinbackByOffer data={data} t={t} f={f} lang={lang} />
            <FirstContact data={data} t={t} f={f} lang={lang} />
          </>
        )}
      </section>

      <details className="analytics-method">
        <summary>{t("staff.analytics.method.title")}</summary>
        <ul className="list">
          <li>{t("staff.analytics.method.weeks")}</li>
          <li>{t("staff.analytics.method.answers")}</li>
          <li>{t("staff.analytics.method.surveys")}</li>
          <li>{t("staff.analytics.method.product")}</li>
          <li>{t("staff.analytics.method.tenure")}</li>
          <li>{t("staff.analytics.method.winback")}</li>
          <li>{t("staff.analytics.method.firstContact")}</li>
          <li>{t("staff.analytics.method.refresh")}</li>
          <li>{t("staff.analytics.method.csv")}</li>
        </ul>
      </details>
    </div>
  );
}

function FreshnessNote({
  refreshedAt,
  stale,
  today,
}: {
  refreshedAt: string | null;
  stale: boolean;
  today: string;
}) {
  const { t, lang } = useI18n();
  if (refreshedAt === null) {
    return (
      <div className="notice notice--warning" role="status">
        <p>{t("staff.analytics.notYet")}</p>
      </div>
    );
  }
  const time = formatDate(refreshedAt, lang, { timeStyle: "short", timeZone: STAFF_TIME_ZONE });
  const asOf =
    dateInZone(new Date(refreshedAt), STAFF_TIME_ZONE) === today
      ? t("staff.analytics.asOf", { time })
      : t("staff.analytics.asOfDay", {
          time,
          date: formatDate(refreshedAt, lang, { dateStyle: "long", timeZone: STAFF_TIME_ZONE }),
        });
  return stale ? (
    <div className="notice notice--warning" role="status">
      <p>
        {asOf} {t("staff.analytics.stale")}
      </p>
    </div>
  ) : (
    <p className="muted">
      {asOf} {t("staff.analytics.refreshEvery")}
    </p>
  );
}

function EmptyState({ text }: { text: string }) {
  return (
    <div className="notice">
      <p>{text}</p>
    </div>
  );
}

function Kpi({ term, value, detail }: { term: string; value: string; detail: string }) {
  return (
    <div className="kpi">
      <dt>{term}</dt>
      <dd>
        <span className="kpi__value">{value}</span>
        <span className="kpi__detail">{detail}</span>
      </dd>
    </div>
  );
}

/** A chart's frame: heading, the chart or its empty state, its table, its CSV. */
function ChartFigure({
  chart,
  title,
  weeks,
  note,
  empty,
  children,
  table,
}: {
  chart: AnalyticsChart;
  title: string;
  weeks: number;
  note?: string;
  /** The text shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
  children: ReactNode;
  table: ReactNode;
}) {
  const { t } = useI18n();
  const id = `chart-${ANALYTICS_CHARTS[chart]}`;
  return (
    <section className="chart-card stack" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{title}</h3>
      {note ? <p className="muted">{note}</p> : null}
      {empty ? (
        <EmptyState text={empty} />
      ) : (
        <>
          {/* On a phone the chart keeps a legible size and scrolls sideways in its own box. */}
          <div className="chart-box" role="region" aria-labelledby={`${id}-heading`} tabIndex={0}>
            {children}
          </div>
          <details className="chart-data">
            <summary>
              {t("staff.analytics.showTable")}
              <span className="visually-hidden"> — {title}</span>
            </summary>
            {table}
          </details>
          <p>
            <a
              href={`/staff/analyse/${ANALYTICS_CHARTS[chart]}/csv?${PERIOD_PARAM}=${weeks}`}
              download
            >
              {t("staff.analytics.downloadCsv")}
              <span className="visually-hidden"> — {title}</span>
            </a>
          </p>
        </>
      )}
    </section>
  );
}

interface ChartProps {
  data: Dashboard;
  t: Translate;
  f: Formats;
  lang: Lang;
}

/** Short labels written for the team (the survey's own wording speaks to the subscriber). */
const reasonLabel = (t: Translate, reason: (typeof EXIT_REASONS)[number]) =>
  t(`staff.analytics.reason.${reason}`);

function ReasonsByWeek({
  data,
  t,
  f,
  lang,
  answers,
  range,
}: ChartProps & { answers: number; range: { from: string; to: string } }) {
  const title = t("staff.analytics.reasonsByWeek.title");
  const totals = EXIT_REASONS.map((reason) => ({
    reason,
    total: sum(data.reasonsWeekly.map((week) => week.counts[reason])),
  }));
  const top = totals.reduce((best, row) => (row.total > best.total ? row : best), totals[0]!);
  const max = Math.max(
    0,
    ...data.reasonsWeekly.flatMap((week) => EXIT_REASONS.map((reason) => week.counts[reason])),
  );
  return (
    <ChartFigure
      chart="reasonsByWeek"
      title={title}
      weeks={data.period.weeks}
      table={
        <DataTable
          id="table-reasons-week"
          caption={title}
          head={[
            t("staff.analytics.col.week"),
            ...EXIT_REASONS.map((reason) => reasonLabel(t, reason)),
            t("staff.analytics.col.total"),
          ]}
          rows={data.reasonsWeekly.map((week) => ({
            key: week.key,
            cells: [
              formatDate(week.key, lang, { dateStyle: "medium" }),
              ...EXIT_REASONS.map((reason) => f.count(week.counts[reason])),
              f.count(week.total),
            ],
          }))}
        />
      }
    >
      <WeeklyMultiples
        id="svg-reasons-week"
        title={title}
        desc={t(`staff.analytics.reasonsByWeek.desc.${plural(lang, answers)}`, {
          answers: f.count(answers),
          from: range.from,
          to: range.to,
          reason: reasonLabel(t, top.reason),
          share: f.share(ratio(top.total, answers)),
        })}
        weekLabels={data.reasonsWeekly.map((week) => shortDay(week.key, lang))}
        max={max}
        series={totals.map(({ reason, total }) => ({
          key: reason,
          label: reasonLabel(t, reason),
          summary: t(`staff.analytics.answersShare.${plural(lang, total)}`, {
            count: f.count(total),
            share: f.share(ratio(total, answers)),
          }),
          values: data.reasonsWeekly.map((week) => week.counts[reason]),
          format: (value) => t("staff.analytics.perWeek", { count: f.count(value) }),
        }))}
      />
    </ChartFigure>
  );
}

/** Reasons (rows) × a few groups (columns): the share of each reason within each group. */
function ReasonsByGroup({
  chart,
  data,
  t,
  f,
  lang,
  groups,
  title,
  desc,
  groupHeading,
}: ChartProps & {
  chart: AnalyticsChart;
  groups: { key: string; label: string; counts: Record<string, number>; total: number }[];
  title: string;
  desc: string;
  groupHeading: string;
}) {
  return (
    <ChartFigure
      chart={chart}
      title={title}
      weeks={data.period.weeks}
      table={
        <DataTable
          id={`table-${ANALYTICS_CHARTS[chart]}`}
          caption={title}
          head={[groupHeading, ...groups.map((group) => group.label)]}
          rows={[
            ...EXIT_REASONS.map((reason) => ({
              key: reason,
              cells: [
                reasonLabel(t, reason),
                ...groups.map((group) =>
                  t("staff.analytics.countShare", {
                    count: f.count(group.counts[reason] ?? 0),
                    share: f.share(ratio(group.counts[reason] ?? 0, group.total)),
                  }),
                ),
              ],
            })),
            {
              key: "total",
              cells: [
                t("staff.analytics.col.answers"),
                ...groups.map((group) => f.count(group.total)),
              ],
            },
          ]}
        />
      }
    >
      <BarGrid
        id={`svg-${ANALYTICS_CHARTS[chart]}`}
        title={title}
        desc={desc}
        columns={groups.map((group) => ({ key: group.key, label: group.label }))}
        rows={EXIT_REASONS.map((reason) => ({
          key: reason,
          label: reasonLabel(t, reason),
          cells: groups.map((group) => {
            const share = ratio(group.counts[reason] ?? 0, group.total);
            return { share: share ?? 0, label: f.wholeShare(share) };
          }),
        }))}
        columnTotals={groups.map((group) => counted(t, f, lang, "answersCount", group.total))}
        totalLabel={t("staff.analytics.col.answers")}
      />
    </ChartFigure>
  );
}

function ReasonsByProduct({ data, t, f, lang, answers }: ChartProps & { answers: number }) {
  const groups = CONTRACT_CATEGORIES.map((category) => {
    const row = data.byProduct.find((entry) => entry.key === category);
    return {
      key: category,
      label: t(`staff.analytics.category.${category}`),
      counts: row?.counts ?? {},
      total: row?.total ?? 0,
    };
  });
  const title = t("staff.analytics.reasonsByProduct.title");
  return (
    <ReasonsByGroup
      chart="reasonsByProduct"
      data={data}
      t={t}
      f={f}
      lang={lang}
      groups={groups}
      title={title}
      desc={t("staff.analytics.reasonsByProduct.desc", {
        answers: counted(t, f, lang, "answersCount", answers),
      })}
      groupHeading={t("staff.analytics.col.reason")}
    />
  );
}

function ReasonsByTenure({ data, t, f, lang, answers }: ChartProps & { answers: number }) {
  const groups = data.byTenure.map((row) => ({
    key: row.key,
    label: t(`staff.analytics.tenure.${row.key}`),
    counts: row.counts,
    total: row.total,
  }));
  return (
    <ReasonsByGroup
      chart="reasonsByTenure"
      data={data}
      t={t}
      f={f}
      lang={lang}
      groups={groups}
      title={t("staff.analytics.reasonsByTenure.title")}
      desc={t("staff.analytics.reasonsByTenure.desc", {
        answers: counted(t, f, lang, "answersCount", answers),
      })}
      groupHeading={t("staff.analytics.col.reason")}
    />
  );
}

function ReasonsByRegion({ data, t, f, lang, answers }: ChartProps & { answers: number }) {
  const title = t("staff.analytics.reasonsByRegion.title");
  const regions = data.byRegion.map((row) => ({
    ...row,
    label: row.key ?? t("staff.analytics.regionUnknown"),
    id: row.key ?? "unknown",
  }));
  return (
    <ChartFigure
      chart="reasonsByRegion"
      title={title}
      weeks={data.period.weeks}
      table={
        <DataTable
          id="table-reasons-region"
          caption={title}
          head={[
            t("staff.analytics.col.region"),
            ...EXIT_REASONS.map((reason) => reasonLabel(t, reason)),
            t("staff.analytics.col.answers"),
          ]}
          rows={regions.map((region) => ({
            key: region.id,
            cells: [
              region.label,
              ...EXIT_REASONS.map((reason) =>
                t("staff.analytics.countShare", {
                  count: f.count(region.counts[reason]),
                  share: f.share(ratio(region.counts[reason], region.total)),
                }),
              ),
              f.count(region.total),
            ],
          }))}
        />
      }
    >
      <BarGrid
        id="svg-reasons-region"
        title={title}
        desc={t("staff.analytics.reasonsByRegion.desc", {
          answers: counted(t, f, lang, "answersCount", answers),
        })}
        columns={EXIT_REASONS.map((reason) => ({ key: reason, label: reasonLabel(t, reason) }))}
        rows={regions.map((region) => ({
          key: region.id,
          label: region.label,
          cells: EXIT_REASONS.map((reason) => {
            const share = ratio(region.counts[reason], region.total);
            return { share: share ?? 0, label: f.wholeShare(share) };
          }),
        }))}
        rowTotals={regions.map((region) => f.count(region.total))}
        totalLabel={t("staff.analytics.col.answers")}
      />
    </ChartFigure>
  );
}

function Surveys({ data, t, f, lang }: ChartProps) {
  const title = t("staff.analytics.surveys.title");
  const { cases, answered, withConsent } = surveyTotals(data.surveys);
  const shares = data.surveys.map((week) => ratio(week.answered, week.cases) ?? 0);
  const consentRates = data.surveys.map((week) => ratio(week.withConsent, week.answered) ?? 0);
  return (
    <ChartFigure
      chart="surveys"
      title={title}
      weeks={data.period.weeks}
      note={t("staff.analytics.surveys.note")}
      table={
        <DataTable
          id="table-surveys"
          caption={title}
          head={[
            t("staff.analytics.col.week"),
            t("staff.analytics.col.cases"),
            t("staff.analytics.col.answered"),
            t("staff.analytics.col.shareAnswered"),
            t("staff.analytics.col.withConsent"),
            t("staff.analytics.col.consentRate"),
          ]}
          rows={data.surveys.map((week) => ({
            key: week.week,
            cells: [
              formatDate(week.week, lang, { dateStyle: "medium" }),
              f.count(week.cases),
              f.count(week.answered),
              f.share(ratio(week.answered, week.cases)),
              f.count(week.withConsent),
              f.share(ratio(week.withConsent, week.answered)),
            ],
          }))}
        />
      }
    >
      <WeeklyMultiples
        id="svg-surveys"
        title={title}
        desc={t("staff.analytics.surveys.desc", {
          share: f.share(ratio(answered, cases)),
          answered: f.count(answered),
          cases: f.count(cases),
          consent: f.share(ratio(withConsent, answered)),
        })}
        weekLabels={data.surveys.map((week) => shortDay(week.week, lang))}
        max={1}
        series={[
          {
            key: "share",
            label: t("staff.analytics.surveys.shareSeries"),
            summary: t("staff.analytics.overPeriod", { share: f.share(ratio(answered, cases)) }),
            values: shares,
            format: (value) => f.wholeShare(value),
          },
          {
            key: "consent",
            label: t("staff.analytics.surveys.consentSeries"),
            summary: t("staff.analytics.overPeriod", {
              share: f.share(ratio(withConsent, answered)),
            }),
            values: consentRates,
            format: (value) => f.wholeShare(value),
          },
        ]}
      />
    </ChartFigure>
  );
}

function rateLabel(t: Translate, f: Formats, won: number, closed: number): string {
  return closed === 0
    ? t("staff.analytics.winback.noClosed")
    : t("staff.analytics.winback.rateLabel", {
        rate: f.share(ratio(won, closed)),
        won: f.count(won),
        closed: f.count(closed),
      });
}

function WinbackByQueue({ data, t, f }: ChartProps) {
  const title = t("staff.analytics.winbackByQueue.title");
  const closed = sum(data.byQueue.map((row) => row.closed));
  const won = sum(data.byQueue.map((row) => row.wonBack));
  return (
    <ChartFigure
      chart="winbackByQueue"
      title={title}
      weeks={data.period.weeks}
      note={t("staff.analytics.winback.note")}
      empty={closed === 0 ? t("staff.analytics.winback.noneClosed") : null}
      table={
        <DataTable
          id="table-winback-queue"
          caption={title}
          head={[
            t("staff.analytics.col.queue"),
            t("staff.analytics.col.items"),
            t("staff.analytics.col.closed"),
            t("staff.analytics.col.wonBack"),
            t("staff.analytics.col.rate"),
          ]}
          rows={data.byQueue.map((row) => ({
            key: row.queue,
            cells: [
              t(`staff.analytics.queue.${row.queue}`),
              f.count(row.items),
              f.count(row.closed),
              f.count(row.wonBack),
              f.share(ratio(row.wonBack, row.closed)),
            ],
          }))}
        />
      }
    >
      <HorizontalBars
        id="svg-winback-queue"
        title={title}
        desc={t("staff.analytics.winbackByQueue.desc", {
          rate: f.share(ratio(won, closed)),
          won: f.count(won),
          closed: f.count(closed),
        })}
        max={1}
        rows={data.byQueue.map((row) => ({
          key: row.queue,
          label: t(`staff.analytics.queue.${row.queue}`),
          value: ratio(row.wonBack, row.closed) ?? 0,
          valueLabel: rateLabel(t, f, row.wonBack, row.closed),
        }))}
      />
    </ChartFigure>
  );
}

function WinbackByOffer({ data, t, f, lang }: ChartProps) {
  const title = t("staff.analytics.winbackByOffer.title");
  const closed = sum(data.byOffer.map((row) => row.closed));
  const offerLabel = (row: Dashboard["byOffer"][number]) =>
    row.offerId === null ? t("staff.analytics.noOffer") : (row.name ?? row.code ?? "?");
  return (
    <ChartFigure
      chart="winbackByOffer"
      title={title}
      weeks={data.period.weeks}
      empty={closed === 0 ? t("staff.analytics.winback.noneClosed") : null}
      table={
        <DataTable
          id="table-winback-offer"
          caption={title}
          head={[
            t("staff.analytics.col.offer"),
            t("staff.analytics.col.closed"),
            t("staff.analytics.col.wonBack"),
            t("staff.analytics.col.rate"),
          ]}
          rows={data.byOffer.map((row) => ({
            key: row.offerId ?? "none",
            cells: [
              offerLabel(row),
              f.count(row.closed),
              f.count(row.wonBack),
              f.share(ratio(row.wonBack, row.closed)),
            ],
          }))}
        />
      }
    >
      <HorizontalBars
        id="svg-winback-offer"
        title={title}
        desc={t("staff.analytics.winbackByOffer.desc", {
          closed: counted(t, f, lang, "closedCount", closed),
        })}
        max={1}
        rows={data.byOffer.map((row) => ({
          key: row.offerId ?? "none",
          label: offerLabel(row),
          value: ratio(row.wonBack, row.closed) ?? 0,
          valueLabel: rateLabel(t, f, row.wonBack, row.closed),
        }))}
      />
    </ChartFigure>
  );
}

function FirstContact({ data, t, f }: ChartProps) {
  const title = t("staff.analytics.firstContact.title");
  const items = sum(data.firstContact.map((row) => row.items));
  const contacted = sum(data.firstContact.map((row) => row.contacted));
  const within = sum(data.firstContact.map((row) => row.withinSla));
  const notContacted = sum(data.firstContact.map((row) => row.notContacted));
  const longest = Math.max(0, ...data.firstContact.map((row) => row.medianHours ?? 0));
  const queue = (row: Dashboard["firstContact"][number]) => t(`staff.analytics.queue.${row.queue}`);
  return (
    <ChartFigure
      chart="firstContact"
      title={title}
      weeks={data.period.weeks}
      note={t("staff.analytics.firstContact.note", {
        notContacted: f.count(notContacted),
        items: f.count(items),
      })}
      table={
        <DataTable
          id="table-first-contact"
          caption={title}
          head={[
            t("staff.analytics.col.queue"),
            t("staff.analytics.col.items"),
            t("staff.analytics.col.contacted"),
            t("staff.analytics.col.medianDelay"),
            t("staff.analytics.col.withinSla"),
            t("staff.analytics.col.withinSlaShare"),
            t("staff.analytics.col.notContacted"),
          ]}
          rows={data.firstContact.map((row) => ({
            key: row.queue,
            cells: [
              queue(row),
              f.count(row.items),
              f.count(row.contacted),
              row.medianHours === null
                ? "—"
                : t("staff.analytics.hours", { hours: f.hours(row.medianHours) }),
              f.count(row.withinSla),
              f.share(ratio(row.withinSla, row.contacted)),
              f.count(row.notContacted),
            ],
          }))}
        />
      }
    >
      {/* Two charts in one figure: each gets a visible heading, not only its SVG title. */}
      <h4 className="chart-subtitle">{t("staff.analytics.firstContact.medianTitle")}</h4>
      <HorizontalBars
        id="svg-first-contact-median"
        title={t("staff.analytics.firstContact.medianTitle")}
        desc={t("staff.analytics.firstContact.medianDesc", { contacted: f.count(contacted) })}
        max={longest}
        rows={data.firstContact.map((row) => ({
          key: row.queue,
          label: queue(row),
          value: row.medianHours ?? 0,
          valueLabel:
            row.medianHours === null
              ? t("staff.analytics.firstContact.noContact")
              : t("staff.analytics.hours", { hours: f.hours(row.medianHours) }),
        }))}
      />
      <h4 className="chart-subtitle">{t("staff.analytics.firstContact.slaTitle")}</h4>
      <HorizontalBars
        id="svg-first-contact-sla"
        title={t("staff.analytics.firstContact.slaTitle")}
        desc={t("staff.analytics.firstContact.slaDesc", {
          share: f.share(ratio(within, contacted)),
          within: f.count(within),
          contacted: f.count(contacted),
        })}
        max={1}
        rows={data.firstContact.map((row) => ({
          key: row.queue,
          label: queue(row),
          value: ratio(row.withinSla, row.contacted) ?? 0,
          valueLabel:
            row.contacted === 0
              ? t("staff.analytics.firstContact.noContact")
              : t("staff.analytics.firstContact.slaLabel", {
                  share: f.share(ratio(row.withinSla, row.contacted)),
                  within: f.count(row.withinSla),
                  contacted: f.count(row.contacted),
                }),
        }))}
      />
    </ChartFigure>
  );
}
