import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import type { StaffRole } from "~/domain/enums";
import { OUTLOOK_DAYS, RETENTION_LIMITS } from "~/domain/retention";
import { formatDate, formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { policyOf } from "~/services/retention/apply-retention.server";
import {
  loadPolicyHistory,
  saveRetentionPolicy,
} from "~/services/retention/retention-policy.server";
import {
  loadRetentionOutlook,
  loadRetentionRuns,
} from "~/services/retention/retention-status.server";
import { RETENTION_POLICY_FIELDS, RetentionPolicySchema } from "./compliance-retention-schema";

// Issue #8 part 6: the data-retention policy, what the nightly job did and what falls due
// next. Compliance reads it; admin changes the periods. Counts only — no one is named here.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.retention.metaTitle", { operator: operatorName }) }];
};

const mayEdit = (role: StaffRole) =>
  (STAFF_ACCESS.complianceRetention.act as readonly StaffRole[]).includes(role);

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.complianceRetention);
  const operator = await requirePortalOperator(args.context);
  const { db } = args.context;
  const [outlook, runs, history] = await Promise.all([
    loadRetentionOutlook(db, operator),
    loadRetentionRuns(db, operator.id),
    loadPolicyHistory(db),
  ]);
  return {
    canEdit: mayEdit(staff.role),
    policy: policyOf(operator),
    timeZone: operator.timeZone,
    outlook,
    runs,
    history,
  };
}

interface Outcome {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: MessageKey;
  done?: MessageKey;
  /** A shorter period makes people due at once: admin confirms with the counts in view. */
  confirm?: { records: number; prospect: number; recordsYears: number; prospectMonths: number };
}

const reply = (outcome: Outcome, status = 200) => data(outcome, { status });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.complianceRetention);
  const operator = await requirePortalOperator(args.context);
  const { db, requestMeta } = args.context;
  const form = await args.request.formData();
  if (form.get("intent") !== "policy") return reply({ problem: "staff.error.unknownAction" }, 400);
  const values = textValues(form, RETENTION_POLICY_FIELDS);
  const parsed = RetentionPolicySchema.safeParse(values);
  if (!parsed.success) return reply({ values, errors: fieldErrors(parsed.error) }, 400);
  const policy = parsed.data;

  // Pseudonymisation cannot be undone: when the new periods make people due at once, say how
  // many before saving, and save only once admin confirms.
  if (form.get("confirmed") !== "yes") {
    const [before, after] = await Promise.all([
      loadRetentionOutlook(db, operator),
      loadRetentionOutlook(db, {
        ...operator,
        auditRetentionYears: policy.recordsYears,
        prospectRetentionMonths: policy.prospectMonths,
      }),
    ]);
    const records = after.dueNow.records - before.dueNow.records;
    const prospect = after.dueNow.prospect - before.dueNow.prospect;
    if (records > 0 || prospect > 0)
      return reply({
        values,
        confirm: {
          records: Math.max(0, records),
          prospect: Math.max(0, prospect),
          ...policy,
        },
      });
  }
  const result = await saveRetentionPolicy(db, {
    operatorId: operator.id,
    policy,
    actor: staff.actor,
    meta: requestMeta,
  });
  return reply({
    done: result === "saved" ? "staff.retention.policySaved" : "staff.retention.unchanged",
  });
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ComplianceRetention() {
  const { t } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/conformite">{t("staff.retention.back")}</Link>
      </p>
      <StaffHeading
        title={t("staff.retention.title")}
        lead={t(loaded.canEdit ? "staff.retention.lead" : "staff.retention.leadReadOnly")}
      />
      {outcome?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(outcome.done)}</p>
        </div>
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      {outcome?.errors ? <ErrorSummary errors={outcome.errors} /> : null}
      <PolicySection loaded={loaded} outcome={outcome} busy={busy} />
      <OutlookSection loaded={loaded} />
      <RunsSection loaded={loaded} />
      <HistorySection loaded={loaded} />
    </div>
  );
}

function PolicySection({
  loaded,
  outcome,
  busy,
}: {
  loaded: Loaded;
  outcome: Outcome | undefined;
  busy: boolean;
}) {
  const { t } = useI18n();
  const { policy } = loaded;
  const values = outcome && (outcome.errors || outcome.confirm) ? outcome.values : undefined;
  const errors = outcome?.errors ?? {};
  return (
    <section className="stack" aria-labelledby="politique">
      <h2 id="politique">{t("staff.retention.policy.title")}</h2>
      <p>{t("staff.retention.policy.intro")}</p>
      <dl className="summary-list">
        <dt>{t("staff.retention.policy.prospectRule", { months: policy.prospectMonths })}</dt>
        <dd>{t("staff.retention.policy.prospectData")}</dd>
        <dt>{t("staff.retention.policy.recordsRule", { years: policy.recordsYears })}</dt>
        <dd>{t("staff.retention.policy.recordsData")}</dd>
        <dt>{t("staff.retention.policy.keptTitle")}</dt>
        <dd>{t("staff.retention.policy.keptData")}</dd>
      </dl>
      <p className="field__hint">{t("staff.retention.policy.ended")}</p>
      <p className="field__hint">{t("staff.retention.policy.auditTrail")}</p>
      <p className="field__hint">
        {t("staff.retention.policy.schedule", { zone: loaded.timeZone })}
      </p>
      {loaded.canEdit ? (
        <Form
          method="post"
          noValidate
          className="form card settings-numbers"
          key={`${policy.recordsYears}-${policy.prospectMonths}`}
        >
          <h3>{t("staff.retention.policy.formTitle")}</h3>
          <input type="hidden" name="intent" value="policy" />
          <TextField
            name="recordsYears"
            label={t("staff.retention.policy.recordsYears")}
            hint={t("staff.retention.policy.recordsYearsHint", RETENTION_LIMITS.recordsYears)}
            inputMode="numeric"
            autoComplete="off"
            short
            defaultValue={values?.recordsYears ?? String(policy.recordsYears)}
            error={errors.recordsYears}
          />
          <TextField
            name="prospectMonths"
            label={t("staff.retention.policy.prospectMonths")}
            hint={t("staff.retention.policy.prospectMonthsHint", RETENTION_LIMITS.prospectMonths)}
            inputMode="numeric"
            autoComplete="off"
            short
            defaultValue={values?.prospectMonths ?? String(policy.prospectMonths)}
            error={errors.prospectMonths}
          />
          {outcome?.confirm ? (
            <div className="notice notice--warning stack stack--small" role="alert">
              <p>
                <strong>{t("staff.retention.confirm.title")}</strong>
              </p>
              <p>
                {t("staff.retention.confirm.text", {
                  records: outcome.confirm.records,
                  prospect: outcome.confirm.prospect,
                })}
              </p>
              <input type="hidden" name="confirmed" value="yes" />
            </div>
          ) : null}
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t(
                outcome?.confirm
                  ? "staff.retention.confirm.submit"
                  : "staff.retention.policy.submit",
              )}
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}

function OutlookSection({ loaded }: { loaded: Loaded }) {
  const { t, lang } = useI18n();
  const { outlook } = loaded;
  return (
    <section className="stack" aria-labelledby="echeances">
      <h2 id="echeances">{t("staff.retention.outlook.title")}</h2>
      <div className="card-grid">
        <div className="card stack stack--small">
          <h3>{t("staff.retention.outlook.nowTitle")}</h3>
          <dl className="summary-list">
            <dt>{t("staff.retention.outlook.records")}</dt>
            <dd>{outlook.dueNow.records}</dd>
            <dt>{t("staff.retention.outlook.prospect")}</dt>
            <dd>{outlook.dueNow.prospect}</dd>
            <dt>{t("staff.retention.outlook.notices")}</dt>
            <dd>{outlook.dueNow.notices}</dd>
          </dl>
          {outlook.heldBack > 0 ? (
            <p className="notice notice--warning">
              {t("staff.retention.outlook.heldBack", { count: outlook.heldBack })}
            </p>
          ) : null}
        </div>
        <div className="card stack stack--small">
          <h3>
            {t("staff.retention.outlook.nextTitle", {
              days: OUTLOOK_DAYS,
              until: formatDate(outlook.until, lang),
            })}
          </h3>
          <dl className="summary-list">
            <dt>{t("staff.retention.outlook.records")}</dt>
            <dd>{outlook.upcoming.records}</dd>
            <dt>{t("staff.retention.outlook.prospect")}</dt>
            <dd>{outlook.upcoming.prospect}</dd>
            <dt>{t("staff.retention.outlook.notices")}</dt>
            <dd>{outlook.upcoming.notices}</dd>
          </dl>
        </div>
      </div>
      <p className="muted">
        {t("staff.retention.outlook.pseudonymised", { count: outlook.pseudonymised })}
      </p>
    </section>
  );
}

function RunsSection({ loaded }: { loaded: Loaded }) {
  const { t, lang } = useI18n();
  return (
    <section className="stack" aria-labelledby="executions">
      <h2 id="executions">{t("staff.retention.runs.title")}</h2>
      {loaded.runs.length === 0 ? (
        <p className="muted">{t("staff.retention.runs.empty")}</p>
      ) : (
        <div className="table-wrapper" role="region" aria-labelledby="executions" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t("staff.retention.runs.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.retention.runs.when")}</th>
                <th scope="col">{t("staff.retention.runs.subscribers")}</th>
                <th scope="col">{t("staff.retention.runs.prospectOnly")}</th>
                <th scope="col">{t("staff.retention.runs.notices")}</th>
                <th scope="col">{t("staff.retention.runs.documents")}</th>
                <th scope="col">{t("staff.retention.runs.heldBack")}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.runs.map((run, index) => (
                <tr key={`${String(run.occurredAt)}-${index}`}>
                  <th scope="row">
                    {formatDateTime(run.occurredAt, lang, STAFF_TIME_ZONE)}
                    <br />
                    <span className="muted">
                      {t(`staff.retention.runs.trigger.${run.data.trigger}`)}
                    </span>
                  </th>
                  <td>{run.data.subscribers}</td>
                  <td>{run.data.prospectOnly}</td>
                  <td>{run.data.notices}</td>
                  <td>{run.data.documents}</td>
                  <td>{run.data.heldBack}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function HistorySection({ loaded }: { loaded: Loaded }) {
  const { t, lang } = useI18n();
  return (
    <section className="stack" aria-labelledby="historique">
      <h2 id="historique">{t("staff.retention.history.title")}</h2>
      {loaded.history.length === 0 ? (
        <p className="muted">{t("staff.retention.history.empty")}</p>
      ) : (
        <ol className="list">
          {loaded.history.map((change) => (
            <li key={change.seq}>
              {t("staff.retention.history.entry", {
                when: formatDateTime(change.occurredAt, lang, STAFF_TIME_ZONE),
                who: change.actorName ?? t("staff.retention.history.system"),
                years: change.data.recordsYears,
                previousYears: change.data.previousRecordsYears,
                months: change.data.prospectMonths,
                previousMonths: change.data.previousProspectMonths,
              })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
