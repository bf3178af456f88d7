import { Readable } from "node:stream";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { translateRecordMessage } from "~/domain/integration/contract-record";
import { formatDateTime, localeFor, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { importContracts } from "~/services/integration/import-contracts.server";
import { listImportRuns, loadImportRun } from "~/services/integration/import-runs.server";
import { requirePortalOperator } from "~/services/load-operator-branding.server";

// Issue #9: the bulk import of contracts from the BSS's CSV export (README, "Contract import"),
// admin only. Upload (multipart, CSV, at most 5 MB — bigger files go through
// `npm run import`), then the run's page (counts, and the rejected rows with line, column and
// reason), and the past runs. A plain form: works without JavaScript.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

/** Under the server's 6 MB multipart cap (server/app.ts); about 20,000 rows. */
export const IMPORT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
const PAGE_PATH = `/${STAFF_ACCESS.contractImport.path}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.import.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.contractImport);
  const operator = await requirePortalOperator(args.context);
  const runId = new URL(args.request.url).searchParams.get("run");
  const run =
    runId !== null && UUID.test(runId)
      ? await loadImportRun(args.context.db, operator.id, runId)
      : null;
  const runs = await listImportRuns(args.context.db, operator.id);
  return data(
    { run, runs, unknownRun: runId !== null && run === null },
    { status: runId !== null && run === null ? 404 : 200 },
  );
}

interface Outcome {
  errors: FieldErrors;
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.contractImport);
  const operator = await requirePortalOperator(args.context);
  const refuse = (key: MessageKey, status = 400) =>
    data<Outcome>({ errors: { file: key } }, { status });
  if (!(args.request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    return refuse("staff.import.error.noFile");
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      args.request,
      unstable_createMemoryUploadHandler({ maxPartSize: IMPORT_UPLOAD_MAX_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return refuse("staff.import.error.tooLarge", 413);
    throw error;
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return refuse("staff.import.error.noFile");
  const bytes = Buffer.from(await file.arrayBuffer());
  const isCsvName = /\.csv$/i.test(file.name);
  const isCsvType = ["text/csv", "application/vnd.ms-excel", "text/plain", ""].includes(file.type);
  // A CSV is text: a NUL byte in the first kilobytes means a spreadsheet or an archive.
  if (!isCsvName || !isCsvType || bytes.subarray(0, 4096).includes(0))
    return refuse("staff.import.error.notCsv");
  const summary = await importContracts(args.context.db, {
    operatorId: operator.id,
    input: Readable.from([bytes]),
    fileName: file.name,
    source: "upload",
    startedBy: staff.staff.id,
    actor: staff.actor,
    meta: args.context.requestMeta,
  });
  return redirect(`${PAGE_PATH}?run=${summary.runId}`, 303);
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type RunSummary = Loaded["runs"][number];

function StatusBadge({ status }: { status: RunSummary["status"] }) {
  const { t } = useI18n();
  const tone = status === "complete" ? "success" : status === "failed" ? "danger" : "info";
  return <span className={`badge badge--${tone}`}>{t(`staff.import.status.${status}`)}</span>;
}

export default function ContractImport() {
  const { t, lang } = useI18n();
  const { run, runs, unknownRun } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = outcome?.errors ?? {};
  const number = new Intl.NumberFormat(localeFor(lang));
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.import.title")} lead={t("staff.import.lead")} />
      {unknownRun ? (
        <div className="notice notice--warning" role="alert">
          <p>{t("staff.import.unknownRun")}</p>
        </div>
      ) : null}
      {run ? (
        <section className="card stack" aria-labelledby="run-title">
          <h2 id="run-title">{t("staff.import.resultTitle", { file: run.fileName })}</h2>
          <p>
            <StatusBadge status={run.status} />{" "}
            {formatDateTime(run.startedAt, lang, STAFF_TIME_ZONE)}
          </p>
          <dl className="summary-list">
            {(
              [
                ["staff.import.colRead", run.rowsRead],
                ["staff.import.colCreated", run.rowsCreated],
                ["staff.import.colUpdated", run.rowsUpdated],
                ["staff.import.colUnchanged", run.rowsUnchanged],
                ["staff.import.colRejected", run.rowsRejected],
              ] as const
            ).map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd>{number.format(value)}</dd>
              </div>
            ))}
          </dl>
          {run.errors.length > 0 ? (
            <div className="stack stack--small">
              <h3 id="errors-title">{t("staff.import.errorsTitle")}</h3>
              {run.errors.length >= 1_000 ? <p>{t("staff.import.errorsTruncated")}</p> : null}
              {/* Focusable: on a phone the table scrolls sideways, also from the keyboard. */}
              <div
                className="table-wrapper"
                role="region"
                aria-labelledby="errors-title"
                tabIndex={0}
              >
                <table className="table">
                  <caption className="visually-hidden">{t("staff.import.errorsTitle")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("staff.import.colLine")}</th>
                      <th scope="col">{t("staff.import.colField")}</th>
                      <th scope="col">{t("staff.import.colMessage")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {run.errors.map((error, index) => (
                      <tr key={`${error.line}-${index}`}>
                        <td>{error.line}</td>
                        <td>
                          <code>{error.field ?? "—"}</code>
                        </td>
                        <td>
                          {translateRecordMessage(error.message, lang === "fr" ? "fr" : "en")}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ) : null}
        </section>
      ) : null}

      <section className="card stack narrow" aria-labelledby="upload-title">
        <h2 id="upload-title">{t("staff.import.formTitle")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="post" encType="multipart/form-data" className="form" noValidate>
          <div className={`field${errors.file ? " field--error" : ""}`}>
            <label className="field__label" htmlFor="file">
              {t("staff.import.fileLabel")}
            </label>
            <p className="field__hint" id="file-hint">
              {t("staff.import.fileHint")}
            </p>
            {errors.file ? (
              <p className="field__error" id="file-error">
                {t(errors.file)}
              </p>
            ) : null}
            <input
              type="file"
              id="file"
              name="file"
              accept=".csv,text/csv"
              required
              aria-describedby={errors.file ? "file-hint file-error" : "file-hint"}
              aria-invalid={errors.file ? true : undefined}
            />
          </div>
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t(busy ? "staff.import.submitting" : "staff.import.submit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="stack" aria-labelledby="runs-title">
        <h2 id="runs-title">{t("staff.import.runsTitle")}</h2>
        {runs.length === 0 ? (
          <p>{t("staff.import.none")}</p>
        ) : (
          <div className="table-wrapper" role="region" aria-labelledby="runs-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t("staff.import.runsTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.import.colStarted")}</th>
                  <th scope="col">{t("staff.import.colFile")}</th>
                  <th scope="col">{t("staff.import.colStatus")}</th>
                  <th scope="col">{t("staff.import.colRead")}</th>
                  <th scope="col">{t("staff.import.colCreated")}</th>
                  <th scope="col">{t("staff.import.colUpdated")}</th>
                  <th scope="col">{t("staff.import.colUnchanged")}</th>
                  <th scope="col">{t("staff.import.colRejected")}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <Link to={`${PAGE_PATH}?run=${item.id}`}>
                        {formatDateTime(item.startedAt, lang, STAFF_TIME_ZONE)}
                      </Link>
                    </td>
                    <td>
                      {item.fileName}{" "}
                      <span className="field__hint">{t(`staff.import.source.${item.source}`)}</span>
                    </td>
                    <td>
                      <StatusBadge status={item.status} />
                    </td>
                    <td>{number.format(item.rowsRead)}</td>
                    <td>{number.format(item.rowsCreated)}</td>
                    <td>{number.format(item.rowsUpdated)}</td>
                    <td>{number.format(item.rowsUnchanged)}</td>
                    <td>{number.format(item.rowsRejected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
