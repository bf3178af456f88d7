import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { STAFF_TIME_ZONE, StaffHeading, StatusTabs } from "~/components/staff-frame";
import {
  CellLabel,
  PriorityLabel,
  SlaTimer,
  WinbackStatusBadge,
  formatListDateTime,
} from "~/components/winback";
import { WINBACK_QUEUES, type StaffRole } from "~/domain/enums";
import { DEFAULT_WINBACK_POLICY, contactWindowState } from "~/domain/winback-policy";
import { slaState } from "~/domain/winback-sla";
import { translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadPortalOperator } from "~/services/load-operator-branding.server";
import {
  QUEUE_PAGE_SIZE,
  countOpenWinback,
  listWinbackQueue,
} from "~/services/winback/load-workspace.server";
import { loadWinbackSettings } from "~/services/winback/settings.server";
import { WINBACK_QUEUE_FILTERS, WINBACK_TABS, type WinbackTab } from "./winback-schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.winback.queueMetaTitle", { operator: operatorName }) }];
};

const canAct = (role: StaffRole) =>
  (STAFF_ACCESS.winbackItem.act as readonly StaffRole[]).includes(role);

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.winbackQueue);
  const { db } = args.context;
  const search = new URL(args.request.url).searchParams;
  // "Mine" is for those who hold items: agents.
  const tabs = WINBACK_TABS.filter((tab) => tab !== "mine" || canAct(staff.role));
  const tab: WinbackTab = tabs.find((value) => value === search.get("statut")) ?? "open";
  const queue = WINBACK_QUEUE_FILTERS.find((value) => value === search.get("file")) ?? "all";
  const now = new Date();
  const operator = await loadPortalOperator(db);
  const [rows, counts, settings] = await Promise.all([
    listWinbackQueue(db, { staffId: staff.id, view: tab, queue }),
    countOpenWinback(db, now),
    operator ? loadWinbackSettings(db, operator.id) : null,
  ]);
  const timeZone = settings?.timeZone ?? STAFF_TIME_ZONE;
  const perQueue = WINBACK_QUEUES.map((name) => {
    const found = counts.find((row) => row.queue === name);
    return {
      queue: name,
      open: found?.open ?? 0,
      unclaimed: found?.unclaimed ?? 0,
      overdue: found?.overdue ?? 0,
    };
  });
  return {
    tab,
    tabs,
    queue,
    full: rows.length === QUEUE_PAGE_SIZE,
    maxAttempts: settings?.maxAttempts ?? DEFAULT_WINBACK_POLICY.maxAttempts,
    perQueue,
    totals: {
      open: perQueue.reduce((sum, row) => sum + row.open, 0),
      unclaimed: perQueue.reduce((sum, row) => sum + row.unclaimed, 0),
      overdue: perQueue.reduce((sum, row) => sum + row.overdue, 0),
    },
    rows: rows.map((row) => {
      const open = tab !== "closed";
      const window = open && row.window ? contactWindowState(row.window, now, timeZone) : null;
      return {
        id: row.id,
        caseReference: row.caseReference,
        name: `${row.firstName} ${row.lastName}`,
        reason: row.reason,
        queue: row.queue,
        priority: row.priority,
        status: row.status,
        slaDueAt: row.slaDueAt.toISOString(),
        sla: slaState(row, now),
        closedAt: row.closedAt?.toISOString() ?? null,
        closeReason: row.closeReason,
        claimerName: row.claimerName,
        claimedByMe: row.claimedBy === staff.id,
        attempts: row.attempts,
        channel: row.channel,
        window: row.window,
        windowOpen: window?.open ?? null,
        windowOpensAt: window && !window.open ? window.nextOpening.toISOString() : null,
      };
    }),
  };
}

/** The list's address with the current filter kept. */
function queueHref(tab: WinbackTab, queue: string): string {
  const params = new URLSearchParams({ statut: tab });
  if (queue !== "all") params.set("file", queue);
  return `/staff/reconquete?${params.toString()}`;
}

export default function StaffWinbackQueue() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const { tab, queue, rows, perQueue, totals } = loaded;
  const queueName = queue === "all" ? null : t(`staff.winback.queue.${queue}`);
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.winback.queueTitle")} lead={t("staff.winback.queueLead")} />

      <div className="table-wrapper winback-counts">
        <table className="table">
          <caption>{t("staff.winback.countsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.winback.colQueue")}</th>
              <th scope="col" className="numeric">
                {t("staff.winback.countOpen")}
              </th>
              <th scope="col" className="numeric">
                {t("staff.winback.countUnclaimed")}
              </th>
              <th scope="col" className="numeric">
                {t("staff.winback.countOverdue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {perQueue.map((row) => (
              <tr key={row.queue}>
                <th scope="row">
                  <Link to={queueHref("open", row.queue)}>
                    {t(`staff.winback.queue.${row.queue}`)}
                  </Link>
                </th>
                <td className="numeric">{row.open}</td>
                <td className="numeric">{row.unclaimed}</td>
                <td className={row.overdue > 0 ? "numeric alarm" : "numeric"}>{row.overdue}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">
                <Link to={queueHref("open", "all")}>{t("staff.winback.allQueues")}</Link>
              </th>
              <td className="numeric">{totals.open}</td>
              <td className="numeric">{totals.unclaimed}</td>
              <td className={totals.overdue > 0 ? "numeric alarm" : "numeric"}>{totals.overdue}</td>
            </tr>
          </tfoot>
        </table>
      </div>

      <StatusTabs
        label={t("staff.winback.tabsLabel")}
        path="/staff/reconquete"
        values={loaded.tabs}
        current={tab}
        labelOf={(value) => t(`staff.winback.tab.${value}`)}
        keep={queue === "all" ? undefined : { file: queue }}
      />

      <Form
        method="get"
        role="search"
        className="filters winback-filter"
        aria-label={t("staff.winback.filterLabel")}
      >
        <input type="hidden" name="statut" value={tab} />
        <div className="field">
          <label className="field__label" htmlFor="file">
            {t("staff.winback.filterQueue")}
          </label>
          <select className="select" id="file" name="file" defaultValue={queue} key={queue}>
            {WINBACK_QUEUE_FILTERS.map((value) => (
              <option key={value} value={value}>
                {value === "all" ? t("staff.winback.allQueues") : t(`staff.winback.queue.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__submit">
          <button type="submit" className="button">
            {t("staff.winback.filterSubmit")}
          </button>
        </div>
      </Form>

      {rows.length === 0 ? (
        <div className={`notice${tab === "open" ? " notice--success" : ""}`} role="status">
          <p>
            {queueName
              ? t(`staff.winback.emptyInQueue.${tab}`, { queue: queueName })
              : t(`staff.winback.empty.${tab}`)}
          </p>
          {tab === "mine" ? (
            <p>
              <Link to={queueHref("open", queue)}>{t("staff.winback.emptyMineLink")}</Link>
            </p>
          ) : null}
        </div>
      ) : (
        <>
          {/* A table on a laptop; under 64rem each row becomes a card (app.css, .winback-list):
              the cells carry their column's name for that layout, hidden from screen readers,
              which read the column headers. */}
          <div className="table-wrapper winback-list-wrapper">
            <table className="table winback-list">
              <caption className="visually-hidden">
                {t(`staff.winback.tab.${tab}`)}
                {queueName ? ` — ${queueName}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.winback.colCaseSubscriber")}</th>
                  <th scope="col">
                    {queueName
                      ? t("staff.winback.colReason")
                      : t("staff.winbackList.colReasonQueue")}
                  </th>
                  <th scope="col">{t("staff.winback.colPriority")}</th>
                  <th scope="col">
                    {t(tab === "closed" ? "staff.winback.colOutcome" : "staff.winback.colSla")}
                  </th>
                  <th scope="col">{t("staff.winbackList.colFollowUp")}</th>
                  <th scope="col">{t("staff.winback.colContact")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td className="winback-list__who">
                      <Link to={`/staff/reconquete/${row.id}`} className="mono">
                        {row.caseReference}
                      </Link>
                      <span className="winback-list__name">{row.name}</span>
                    </td>
                    <td className="winback-list__why">
                      {t(`exitReason.${row.reason}`)}
                      {queueName ? null : (
                        <span className="muted winback-window">
                          {t(`staff.winback.queue.${row.queue}`)}
                        </span>
                      )}
                    </td>
                    <td className="winback-list__priority">
                      <CellLabel>{t("staff.winback.colPriority")}</CellLabel>
                      <PriorityLabel priority={row.priority} />
                    </td>
                    <td className="winback-list__sla">
                      <CellLabel>
                        {t(tab === "closed" ? "staff.winback.colOutcome" : "staff.winback.colSla")}
                      </CellLabel>
                      {tab === "closed" ? (
                        <span className="sla">
                          <WinbackStatusBadge status={row.status} />
                          {row.closedAt ? (
                            <span className="muted sla__due">
                              <time dateTime={row.closedAt}>
                                {formatListDateTime(row.closedAt, lang)}
                              </time>
                              {row.closeReason && row.closeReason !== "outcome"
                                ? ` · ${t(`staff.winback.closeReason.${row.closeReason}`)}`
                                : ""}
                            </span>
                          ) : null}
                        </span>
                      ) : (
                        <SlaTimer sla={row.sla} dueAt={row.slaDueAt} compact />
                      )}
                    </td>
                    <td className="winback-list__follow-up">
                      <CellLabel>{t("staff.winbackList.colFollowUp")}</CellLabel>
                      {row.claimedByMe ? (
                        <strong>{t("staff.winback.claimedByYou")}</strong>
                      ) : row.claimerName ? (
                        row.claimerName
                      ) : (
                        <span className="muted">{t("staff.winback.unclaimed")}</span>
                      )}
                      <span className="muted winback-window nowrap">
                        {t("staff.winbackList.attempts", {
                          count: row.attempts,
                          max: loaded.maxAttempts,
                        })}
                      </span>
                    </td>
                    <td className="winback-list__contact">
                      <CellLabel>{t("staff.winback.colContact")}</CellLabel>
                      {row.channel ? t(`channel.${row.channel}`) : "—"}
                      {row.window ? (
                        <span className="muted winback-window">
                          {t(`staff.winback.windowShort.${row.window}`)}
                        </span>
                      ) : null}
                      {row.windowOpen === true ? (
                        <span className="badge badge--success">
                          {t("staff.winback.windowOpenShort")}
                        </span>
                      ) : row.windowOpensAt ? (
                        <span className="muted winback-window winback-list__opens">
                          {t("staff.winback.windowOpensShort", {
                            time: formatListDateTime(row.windowOpensAt, lang),
                          })}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {loaded.full ? (
            <p className="muted">{t("staff.winback.firstOnly", { count: rows.length })}</p>
          ) : null}
        </>
      )}
    </div>
  );
}
