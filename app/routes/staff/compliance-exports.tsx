import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { dateInZone, instantInZone } from "~/domain/dates";
import { ACTOR_TYPES } from "~/domain/enums";
import {
  formatDate,
  formatDateTime,
  localeFor,
  messages,
  translate,
  type Lang,
  type MessageKey,
  type Translate,
} from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { exportFileName } from "~/services/audit-export/export-audit-trail.server";
import {
  AUDIT_EVENT_TYPES,
  AuditExportRequestSchema,
  EXPORT_FIELDS,
  exportRequestInput,
  hasExportParams,
  type AuditExportFilters,
} from "~/services/audit-export/filters";
import {
  listAuditExports,
  type AuditExportListItem,
} from "~/services/audit-export/list-audit-exports.server";
import { previewAuditExport } from "~/services/audit-export/preview-audit-export.server";

// Issue #8: exports of the audit trail (docs/decisions/009). A GET form (works without
// JavaScript) checks the selection and counts what it holds; the download link streams the file
// from its own route; the history lists every export with its signed manifest. Compliance and
// admin only; downloads are reads, so compliance may make them.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.auditExport.metaTitle", { operator: operatorName }) }];
};

const DOWNLOAD_PATH = `/${STAFF_ACCESS.complianceExportDownload.path}`;
const PAGE_PATH = `/${STAFF_ACCESS.complianceExports.path}`;

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.complianceExports);
  const { db, env } = args.context;
  const params = new URL(args.request.url).searchParams;
  const values: Record<string, string> = {};
  for (const name of EXPORT_FIELDS) values[name] = (params.get(name) ?? "").slice(0, 200);
  const types = params.getAll("type").slice(0, AUDIT_EVENT_TYPES.length);

  let errors: FieldErrors = {};
  let ready: {
    rows: number;
    streams: number;
    href: string;
    fileName: string;
  } | null = null;
  if (hasExportParams(params)) {
    const parsed = AuditExportRequestSchema.safeParse(exportRequestInput(params));
    if (!parsed.success) errors = fieldErrors(parsed.error);
    else {
      const preview = await previewAuditExport(db, parsed.data);
      if (!preview.ok) errors = { case: "staff.auditExport.error.caseUnknown" };
      else {
        const query = new URLSearchParams();
        for (const name of EXPORT_FIELDS) if (values[name]) query.set(name, values[name]);
        for (const type of parsed.data.filters.types) query.append("type", type);
        ready = {
          rows: preview.rows,
          streams: preview.streams,
          href: `${DOWNLOAD_PATH}?${query.toString()}`,
          fileName: exportFileName(preview.filters, parsed.data),
        };
      }
    }
  }
  const history = await listAuditExports(db, { before: params.get("avant") });
  const failed = Object.keys(errors).length > 0;
  return data(
    {
      values,
      types,
      errors,
      ready,
      history,
      paged: params.has("avant"),
      eventTypes: AUDIT_EVENT_TYPES,
      publicKeyUrl: new URL("/.well-known/easy-exit/audit-key.pem", env.APP_URL).toString(),
    },
    { status: failed ? 400 : 200 },
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The label of an event type when the back office has one (else its code alone is shown). */
function eventTypeLabel(t: Translate, type: string): string | null {
  const key = `staff.event.${type}`;
  return key in messages.fr ? t(key as MessageKey) : null;
}

function formatCount(value: number, lang: Lang): string {
  return new Intl.NumberFormat(localeFor(lang)).format(value);
}

export default function ComplianceExports() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const { values, errors, ready, history, paged } = loaded;
  const busy = useNavigation().state === "loading";
  const fieldError = (name: string) => errors[name];

  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.auditExport.title")} lead={t("staff.auditExport.lead")} />

      <section className="stack" aria-labelledby="selection">
        <h2 id="selection">{t("staff.auditExport.selection")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="get" className="stack export-form" aria-labelledby="selection">
          <div className="filters">
            <TextInput name="from" value={values.from} error={fieldError("from")} />
            <TextInput name="to" value={values.to} error={fieldError("to")} />
          </div>
          <div className="filters">
            <TextInput name="case" value={values.case} error={fieldError("case")} />
            <div className={fieldError("actorType") ? "field field--error" : "field"}>
              <label className="field__label" htmlFor="actorType">
                {t("staff.auditExport.actorType")}
              </label>
              {fieldError("actorType") ? (
                <p className="field__error" id="actorType-error">
                  <span className="visually-hidden">{t("form.errorPrefix")} </span>
                  {t(fieldError("actorType")!)}
                </p>
              ) : null}
              <select
                className="select"
                id="actorType"
                name="actorType"
                defaultValue={values.actorType}
                aria-describedby={fieldError("actorType") ? "actorType-error" : undefined}
              >
                <option value="">{t("staff.auditExport.actorAny")}</option>
                {ACTOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`staff.auditExport.actor.${type}`)}
                  </option>
                ))}
              </select>
            </div>
            <TextInput name="actorId" value={values.actorId} error={fieldError("actorId")} />
          </div>
          <EventTypes loaded={loaded} />
          <fieldset className={fieldError("format") ? "field field--error" : "field"} id="format">
            <legend>{t("staff.auditExport.format")}</legend>
            {fieldError("format") ? (
              <p className="field__error">{t(fieldError("format")!)}</p>
            ) : null}
            <div className="choices">
              {(["csv", "jsonl"] as const).map((format) => (
                <div className="choice" key={format}>
                  <input
                    type="radio"
                    name="format"
                    value={format}
                    id={`format-${format}`}
                    defaultChecked={(values.format || "csv") === format}
                  />
                  <label htmlFor={`format-${format}`}>
                    {t(`staff.auditExport.format.${format}`)}
                  </label>
                </div>
              ))}
              <div className="choice">
                <input
                  type="checkbox"
                  name="gzip"
                  value="1"
                  id="gzip"
                  defaultChecked={values.gzip === "1"}
                />
                <label htmlFor="gzip">{t("staff.auditExport.gzip")}</label>
              </div>
            </div>
          </fieldset>
          <div className="cluster">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.auditExport.submit")}
            </button>
            <Link to={PAGE_PATH}>{t("staff.auditExport.reset")}</Link>
          </div>
        </Form>

        {ready ? (
          <div
            className={ready.rows > 0 ? "notice notice--success stack" : "notice stack"}
            role="status"
          >
            <h3>{t("staff.auditExport.ready")}</h3>
            <p>
              {ready.rows > 0
                ? t("staff.auditExport.previewCount", {
                    rows: formatCount(ready.rows, lang),
                    streams: formatCount(ready.streams, lang),
                  })
                : t("staff.auditExport.previewEmpty")}
            </p>
            <p>
              {/* A plain link: the browser downloads the file and stays on this page. */}
              <a className="button button--primary export-download" href={ready.href} download>
                {t("staff.auditExport.download", { file: ready.fileName })}
              </a>
            </p>
            <p className="muted">{t("staff.auditExport.downloadHint")}</p>
          </div>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="history">
        <h2 id="history">{t("staff.auditExport.history")}</h2>
        {history.items.length === 0 ? (
          <div className="notice">
            <p>{t("staff.auditExport.historyEmpty")}</p>
          </div>
        ) : (
          <div className="table-wrapper">
            <table className="table export-history">
              <caption className="visually-hidden">{t("staff.auditExport.historyCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.auditExport.col.when")}</th>
                  <th scope="col">{t("staff.auditExport.col.who")}</th>
                  <th scope="col">{t("staff.auditExport.col.selection")}</th>
                  <th scope="col" className="numeric">
                    {t("staff.auditExport.col.rows")}
                  </th>
                  <th scope="col">{t("staff.auditExport.col.sha256")}</th>
                  <th scope="col">{t("staff.auditExport.col.status")}</th>
                  <th scope="col">{t("staff.auditExport.col.manifest")}</th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((item) => (
                  <HistoryRow key={item.id} item={item} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {paged || history.nextCursor ? (
          <nav className="pagination" aria-label={t("staff.pagination.label")}>
            {paged ? <Link to={PAGE_PATH}>{t("staff.auditExport.newest")}</Link> : null}
            {history.nextCursor ? (
              <Link to={`${PAGE_PATH}?avant=${history.nextCursor}`} rel="next">
                {t("staff.auditExport.older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      <section className="stack stack--small" aria-labelledby="verify">
        <h2 id="verify">{t("staff.auditExport.verifyTitle")}</h2>
        <p>{t("staff.auditExport.verifyText")}</p>
        <pre className="export-command">
          <code>
            node tools/verify-audit-export.mjs journal-audit.csv --public-key audit-key.pem
          </code>
        </pre>
        <p className="muted">{t("staff.auditExport.verifyKey", { url: loaded.publicKeyUrl })}</p>
      </section>
    </div>
  );
}

const TEXT_FIELDS = {
  from: { label: "staff.auditExport.from", hint: "staff.auditExport.fromHint" },
  to: { label: "staff.auditExport.to", hint: "staff.auditExport.toHint" },
  case: { label: "staff.auditExport.case", hint: "staff.auditExport.caseHint" },
  actorId: { label: "staff.auditExport.actorId", hint: "staff.auditExport.actorIdHint" },
} as const satisfies Record<string, { label: MessageKey; hint: MessageKey }>;

function TextInput(props: {
  name: keyof typeof TEXT_FIELDS;
  value: string | undefined;
  error: MessageKey | undefined;
}) {
  const { t } = useI18n();
  const { label, hint } = TEXT_FIELDS[props.name];
  const described = [`${props.name}-hint`, props.error ? `${props.name}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={props.name}>
        {t(label)}
      </label>
      <p className="field__hint" id={`${props.name}-hint`}>
        {t(hint)}
      </p>
      {props.error ? (
        <p className="field__error" id={`${props.name}-error`}>
          <span className="visually-hidden">{t("form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      <input
        className="input"
        id={props.name}
        name={props.name}
        type="text"
        defaultValue={props.value ?? ""}
        aria-describedby={described}
        aria-invalid={props.error ? true : undefined}
        spellCheck={false}
        autoComplete="off"
        maxLength={props.name === "actorId" ? 120 : 60}
      />
    </div>
  );
}

/** The event types, grouped by their prefix, in a disclosure (open when some are ticked). */
function EventTypes({ loaded }: { loaded: Loaded }) {
  const { t } = useI18n();
  const ticked = new Set(loaded.types);
  const error = loaded.errors.type;
  return (
    <fieldset className={error ? "field field--error" : "field"} id="type">
      <legend>{t("staff.auditExport.types")}</legend>
      <p className="field__hint">{t("staff.auditExport.typesHint")}</p>
      {error ? <p className="field__error">{t(error)}</p> : null}
      <details className="export-types" open={ticked.size > 0 || error !== undefined}>
        <summary>{t("staff.auditExport.typesSummary", { count: ticked.size })}</summary>
        {/* In the catalogue's order, so that each family of events stays together. */}
        <div className="choices export-types__list">
          {loaded.eventTypes.map((type) => {
            const label = eventTypeLabel(t, type);
            return (
              <div className="choice" key={type}>
                <input
                  type="checkbox"
                  name="type"
                  value={type}
                  id={`type-${type}`}
                  defaultChecked={ticked.has(type)}
                />
                <label htmlFor={`type-${type}`}>
                  {label ? `${label} ` : null}
                  <span className={label ? "mono muted" : "mono"}>{type}</span>
                </label>
              </div>
            );
          })}
        </div>
      </details>
    </fieldset>
  );
}

/** A period's boundary: the day when it is midnight in Paris (a typed date), else the instant. */
function boundaryText(iso: string, lang: Lang): string {
  const instant = new Date(iso);
  const day = dateInZone(instant, STAFF_TIME_ZONE);
  return instantInZone(`${day}T00:00`, STAFF_TIME_ZONE)?.getTime() === instant.getTime()
    ? formatDate(day, lang)
    : formatDateTime(instant, lang, STAFF_TIME_ZONE);
}

function selectionText(t: Translate, lang: Lang, filters: AuditExportFilters): string {
  const when = (iso: string) => boundaryText(iso, lang);
  const parts: string[] = [];
  if (filters.from && filters.to)
    parts.push(
      t("staff.auditExport.filter.period", { from: when(filters.from), to: when(filters.to) }),
    );
  else if (filters.from)
    parts.push(t("staff.auditExport.filter.since", { from: when(filters.from) }));
  else if (filters.to) parts.push(t("staff.auditExport.filter.until", { to: when(filters.to) }));
  if (filters.caseReference)
    parts.push(t("staff.auditExport.filter.case", { reference: filters.caseReference }));
  if (filters.types.length > 0)
    parts.push(t("staff.auditExport.filter.types", { types: filters.types.join(", ") }));
  if (filters.actorType || filters.actorId)
    parts.push(
      t("staff.auditExport.filter.actor", {
        actor: [
          filters.actorType ? t(`staff.auditExport.actor.${filters.actorType}`) : null,
          filters.actorId,
        ]
          .filter(Boolean)
          .join(" "),
      }),
    );
  return parts.length === 0 ? t("staff.auditExport.filter.all") : parts.join(" · ");
}

const STATUS_TONE = { running: "info", complete: "success", failed: "danger" } as const;

function HistoryRow({ item }: { item: AuditExportListItem }) {
  const { t, lang } = useI18n();
  const when = formatDateTime(item.createdAt, lang, STAFF_TIME_ZONE);
  return (
    <tr>
      <td>{when}</td>
      <td>{item.staff ? item.staff.displayName : t("staff.auditExport.cli")}</td>
      <td>
        {selectionText(t, lang, item.filters)}
        <br />
        <span className="muted">
          {item.format.toUpperCase()}
          {item.gzip ? " + gzip" : ""} ·{" "}
          {item.checkpointId !== null
            ? t("staff.auditExport.checkpoint", { id: item.checkpointId })
            : item.status === "complete"
              ? t("staff.auditExport.noCheckpoint")
              : null}
        </span>
      </td>
      <td className="numeric">{item.rows !== null ? formatCount(item.rows, lang) : "—"}</td>
      <td>{item.sha256 ? <code className="hash">{item.sha256}</code> : "—"}</td>
      <td>
        <span className={`badge badge--${STATUS_TONE[item.status]}`}>
          {t(`staff.auditExport.status.${item.status}`)}
        </span>
      </td>
      <td>
        {item.status === "complete" ? (
          <a
            href={`${PAGE_PATH}/${item.id}/manifest.json`}
            download
            aria-label={t("staff.auditExport.manifestLinkLabel", { when })}
          >
            {t("staff.auditExport.manifestLink")}
          </a>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}
