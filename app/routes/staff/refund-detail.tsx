import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { UrgencyFlag } from "~/components/refund-urgency";
import { RefundStatusBadge, STAFF_TIME_ZONE } from "~/components/staff-frame";
import { dateInZone, daysBetween } from "~/domain/dates";
import type { RefundStatus } from "~/domain/enums";
import { REFUND_FAILURE_REASONS, REFUND_WITHHOLD_REASONS, refundUrgency } from "~/domain/returns";
import { formatDate, formatDateTime, formatMoney, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { applyRefundAction, type RefundAction } from "~/services/returns/refund-actions.server";
import { recordCaseView } from "~/services/staff/load-staff-case.server";
import { loadStaffRefund } from "~/services/staff/load-staff-refund.server";
import { IssueRefundSchema, lastInvoicePaidSchema } from "./schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.refund.metaTitle", {
        operator: operatorName,
        reference: loaded?.case.reference ?? "",
      }),
    },
  ];
};

/** The flash shown after each action (`?fait=…`). */
const DONE = {
  issue: "issued",
  fail: "failed",
  withhold: "withheld",
  release: "released",
  last_invoice_paid: "clock_started",
} as const satisfies Record<RefundAction["kind"], string>;
const DONE_FLASHES: readonly string[] = Object.values(DONE);

/** Reason codes the audit trail may carry for a refund, with their wording. */
const REASON_CODES = [
  "bank_rejected",
  "account_closed",
  "unpaid_invoice",
  "fraud_check",
  "equipment_charged",
  "last_invoice_paid",
  "other",
] as const;
type ReasonCode = (typeof REASON_CODES)[number];
const isReasonCode = (value: unknown): value is ReasonCode =>
  (REASON_CODES as readonly unknown[]).includes(value);

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.refundDetail);
  const { db, requestMeta } = args.context;
  const found = await loadStaffRefund(db, args.params.refundId ?? "");
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  await recordCaseView(db, { caseId: found.case.id, staff, view: "refund", meta: requestMeta });
  const { refund } = found;
  const today = dateInZone(new Date(), STAFF_TIME_ZONE);
  return {
    refund: {
      id: refund.id,
      kind: refund.kind,
      status: refund.status,
      amountCents: refund.amountCents,
      offsetCents: refund.offsetCents,
      currency: refund.currency,
      legalDueDate: refund.legalDueDate,
      clockStartedOn: refund.clockStartedOn,
      paymentReference: refund.paymentReference,
      issuedAt: refund.issuedAt,
      failureReason: isReasonCode(refund.failureReason) ? refund.failureReason : null,
      withheldReason: isReasonCode(refund.withheldReason) ? refund.withheldReason : null,
    },
    case: { id: found.case.id, reference: found.case.reference },
    subscriber: found.subscriber,
    returnNumber: found.returnNumber,
    history: found.history.map((event) => ({
      id: event.id,
      occurredAt: event.occurredAt,
      actorType: event.actorType,
      actorName: event.actorName,
      status: event.data.status as RefundStatus,
      reasonCode: isReasonCode(event.data.reasonCode) ? event.data.reasonCode : null,
      legalDueDate: event.data.legalDueDate ?? null,
    })),
    urgency: refundUrgency(refund, today),
    // Paid after its legal due date (the compliance KPI "refunds paid within 10 days").
    paidLateDays:
      refund.issuedAt && refund.legalDueDate
        ? Math.max(
            0,
            daysBetween(refund.legalDueDate, dateInZone(refund.issuedAt, STAFF_TIME_ZONE)),
          )
        : 0,
    daysLeft: refund.legalDueDate ? daysBetween(today, refund.legalDueDate) : null,
    today,
    canAct: (STAFF_ACCESS.refundDetail.act as readonly string[]).includes(staff.staff.role),
  };
}

const reasonSchema = <const T extends readonly [string, ...string[]]>(reasons: T) =>
  z.object({ reason: z.enum(reasons, { error: "staff.refund.error.reason" }) });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.refundDetail);
  const { db, jobs, requestMeta } = args.context;
  const refundId = args.params.refundId ?? "";
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const invalid = (errors: FieldErrors, values: Record<string, string> = {}) =>
    data({ intent, errors, problem: null as MessageKey | null, values }, { status: 400 });

  let refundAction: RefundAction;
  if (intent === "issue") {
    const values = textValues(form, ["paymentReference"]);
    const parsed = IssueRefundSchema.safeParse({ ...values, confirm: form.get("confirm") });
    if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
    refundAction = { kind: "issue", paymentReference: parsed.data.paymentReference };
  } else if (intent === "fail") {
    const parsed = reasonSchema(REFUND_FAILURE_REASONS).safeParse({ reason: form.get("reason") });
    if (!parsed.success) return invalid(fieldErrors(parsed.error));
    refundAction = { kind: "fail", reason: parsed.data.reason };
  } else if (intent === "withhold") {
    const parsed = reasonSchema(REFUND_WITHHOLD_REASONS).safeParse({
      reason: form.get("withholdReason"),
    });
    // Its own field name: the error must point at the withhold form's select, not the fail one.
    if (!parsed.success) return invalid({ withholdReason: fieldErrors(parsed.error).reason });
    refundAction = { kind: "withhold", reason: parsed.data.reason };
  } else if (intent === "release") {
    refundAction = { kind: "release" };
  } else if (intent === "last_invoice_paid") {
    const values = textValues(form, ["paidOn"]);
    const today = dateInZone(new Date(), STAFF_TIME_ZONE);
    const parsed = lastInvoicePaidSchema(today).safeParse(values);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
    refundAction = { kind: "last_invoice_paid", paidOn: parsed.data.paidOn };
  } else {
    return data(
      {
        intent,
        errors: {} as FieldErrors,
        problem: "staff.error.unknownAction" as MessageKey | null,
        values: {},
      },
      { status: 400 },
    );
  }

  if (refundAction.kind === "release") {
    // A deposit the charges took whole has nothing to pay: it is not "released" by hand.
    const found = await loadStaffRefund(db, refundId);
    if (!found) throw data({ reason: "not_found" }, { status: 404 });
    if (found.refund.withheldReason === "equipment_charged")
      return data(
        {
          intent,
          errors: {} as FieldErrors,
          problem: "staff.refund.chargedNotReleasable" as MessageKey | null,
          values: {},
        },
        { status: 409 },
      );
  }
  const result = await applyRefundAction(
    { db, jobs },
    { refundId, action: refundAction, actor: staff.actor, meta: requestMeta },
  );
  if (result.kind === "not_found") throw data({ reason: "not_found" }, { status: 404 });
  if (result.kind === "refused")
    return data(
      {
        intent,
        errors: {} as FieldErrors,
        problem: "staff.refund.refused" as MessageKey | null,
        values: {},
        from: result.from,
      },
      { status: 409 },
    );
  throw redirect(`/staff/remboursements/${refundId}?fait=${DONE[refundAction.kind]}`, 303);
}

export default function StaffRefundDetail() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const { refund } = loaded;
  const errors: FieldErrors = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const refusedFrom = actionData && "from" in actionData ? (actionData.from as RefundStatus) : null;
  const done = params.get("fait");
  const money = (cents: number) => formatMoney(cents, refund.currency, lang);
  const when = (value: string | Date) => formatDateTime(value, lang, STAFF_TIME_ZONE);
  const payable = refund.status === "due" || refund.status === "failed";
  const netCents = refund.amountCents - refund.offsetCents;
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/remboursements">{t("staff.refund.back")}</Link>
      </p>
      <div className="stack stack--small">
        <h1>
          {t(`refund.${refund.kind}`)} — <span className="mono">{loaded.case.reference}</span>
        </h1>
        <p className="cluster">
          <RefundStatusBadge status={refund.status} />
          {loaded.urgency !== "none" ? (
            <UrgencyFlag urgency={loaded.urgency} daysLeft={loaded.daysLeft} />
          ) : null}
          {loaded.paidLateDays > 0 ? (
            <span className="badge badge--warning">
              {t("staff.refund.paidLate", { days: loaded.paidLateDays })}
            </span>
          ) : null}
        </p>
      </div>

      {done && DONE_FLASHES.includes(done) ? (
        <div className="notice notice--success" role="status">
          <p>{t(`staff.refund.done.${done as (typeof DONE)[keyof typeof DONE]}`)}</p>
        </div>
      ) : null}

      <div className="card-grid">
        <section className="card stack stack--small" aria-labelledby="refund-statement">
          <h2 id="refund-statement">{t("staff.refund.statement")}</h2>
          <dl className="summary-list">
            {refund.kind === "deposit" ? (
              <>
                <dt>{t("staff.refund.deposit")}</dt>
                <dd className="amount">{money(refund.amountCents)}</dd>
                <dt>{t("staff.refund.offset")}</dt>
                <dd className="amount">
                  {refund.offsetCents > 0 ? `− ${money(refund.offsetCents)}` : money(0)}
                </dd>
                <dt>{t("staff.refund.net")}</dt>
                <dd className="amount">
                  <strong>{money(netCents)}</strong>
                </dd>
              </>
            ) : (
              <>
                <dt>{t("staff.refund.amount")}</dt>
                <dd className="amount">
                  <strong>{money(netCents)}</strong>
                </dd>
              </>
            )}
            <dt>{t("staff.refund.clockStart")}</dt>
            <dd>
              {refund.clockStartedOn
                ? formatDate(refund.clockStartedOn, lang)
                : t(
                    refund.kind === "deposit"
                      ? "staff.refund.clockWaitsEquipment"
                      : "staff.refund.clockWaitsInvoice",
                  )}
            </dd>
            <dt>{t("staff.refund.legalDue")}</dt>
            <dd>{refund.legalDueDate ? formatDate(refund.legalDueDate, lang) : "—"}</dd>
            {refund.paymentReference ? (
              <>
                <dt>{t("staff.refund.paymentReference")}</dt>
                <dd className="mono">{refund.paymentReference}</dd>
              </>
            ) : null}
            {refund.issuedAt ? (
              <>
                <dt>{t("staff.refund.issuedAt")}</dt>
                <dd>{when(refund.issuedAt)}</dd>
              </>
            ) : null}
            {refund.status === "failed" && refund.failureReason ? (
              <>
                <dt>{t("staff.refund.failureReason")}</dt>
                <dd>{t(`staff.refundReason.${refund.failureReason}`)}</dd>
              </>
            ) : null}
            {refund.status === "withheld" && refund.withheldReason ? (
              <>
                <dt>{t("staff.refund.withheldReason")}</dt>
                <dd>{t(`staff.refundReason.${refund.withheldReason}`)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section className="card stack stack--small" aria-labelledby="refund-case">
          <h2 id="refund-case">{t("staff.refund.caseTitle")}</h2>
          <dl className="summary-list">
            <dt>{t("staff.return.case")}</dt>
            <dd>
              <Link to={`/staff/dossiers/${loaded.case.id}`} className="mono">
                {loaded.case.reference}
              </Link>
            </dd>
            <dt>{t("staff.return.subscriber")}</dt>
            <dd>
              {loaded.subscriber.firstName} {loaded.subscriber.lastName}
            </dd>
            {loaded.returnNumber ? (
              <>
                <dt>{t("staff.refund.return")}</dt>
                <dd>
                  <Link to={`/staff/retours/${loaded.returnNumber}`} className="mono">
                    {loaded.returnNumber}
                  </Link>
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert
        message={
          actionData?.problem
            ? t(actionData.problem, {
                status: refusedFrom ? t(`staff.refundStatus.${refusedFrom}`) : "",
              })
            : null
        }
      />

      {loaded.canAct ? (
        <>
          {payable ? (
            <section className="stack" aria-labelledby="refund-issue">
              <h2 id="refund-issue">{t("staff.refund.issueTitle")}</h2>
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="issue" />
                <TextField
                  name="paymentReference"
                  label={t("staff.refund.paymentReference")}
                  hint={t("staff.refund.paymentReferenceHint")}
                  error={errors.paymentReference}
                  defaultValue={values.paymentReference}
                  maxLength={60}
                  autoComplete="off"
                  spellCheck={false}
                />
                <div className={errors.confirm ? "field field--error" : "field"}>
                  {errors.confirm ? (
                    <p className="field__error" id="confirm-error">
                      <span className="visually-hidden">{t("form.errorPrefix")} </span>
                      {t(errors.confirm)}
                    </p>
                  ) : null}
                  <div className="choice">
                    <input
                      type="checkbox"
                      name="confirm"
                      id="confirm"
                      aria-invalid={errors.confirm ? true : undefined}
                      aria-describedby={errors.confirm ? "confirm-error" : undefined}
                    />
                    <label htmlFor="confirm">
                      {t("staff.refund.confirm", { amount: money(netCents) })}
                    </label>
                  </div>
                </div>
                <p>
                  <button type="submit" className="button button--primary" disabled={busy}>
                    {t("staff.refund.issueSubmit")}
                  </button>
                </p>
              </Form>
            </section>
          ) : null}

          {refund.status === "due" ? (
            <ReasonForm
              intent="fail"
              name="reason"
              title={t("staff.refund.failTitle")}
              label={t("staff.refund.failReason")}
              submit={t("staff.refund.failSubmit")}
              reasons={REFUND_FAILURE_REASONS}
              error={errors.reason}
              busy={busy}
            />
          ) : null}

          {payable ? (
            <ReasonForm
              intent="withhold"
              name="withholdReason"
              title={t("staff.refund.withholdTitle")}
              label={t("staff.refund.withholdReasonLabel")}
              submit={t("staff.refund.withholdSubmit")}
              reasons={REFUND_WITHHOLD_REASONS}
              error={errors.withholdReason}
              busy={busy}
            />
          ) : null}

          {refund.status === "withheld" ? (
            refund.withheldReason === "equipment_charged" ? (
              <p className="muted">{t("staff.refund.chargedNotReleasable")}</p>
            ) : (
              <section className="stack" aria-labelledby="refund-release">
                <h2 id="refund-release">{t("staff.refund.releaseTitle")}</h2>
                <p>{t("staff.refund.releaseText")}</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="release" />
                  <button type="submit" className="button" disabled={busy}>
                    {t("staff.refund.releaseSubmit")}
                  </button>
                </Form>
              </section>
            )
          ) : null}

          {refund.status === "scheduled" && refund.kind !== "deposit" ? (
            <section className="stack" aria-labelledby="refund-invoice">
              <h2 id="refund-invoice">{t("staff.refund.invoiceTitle")}</h2>
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="last_invoice_paid" />
                <TextField
                  name="paidOn"
                  type="date"
                  label={t("staff.refund.paidOn")}
                  hint={t("staff.refund.paidOnHint")}
                  error={errors.paidOn}
                  defaultValue={values.paidOn ?? loaded.today}
                  max={loaded.today}
                  short
                />
                <p>
                  <button type="submit" className="button" disabled={busy}>
                    {t("staff.refund.invoiceSubmit")}
                  </button>
                </p>
              </Form>
            </section>
          ) : null}
          {refund.status === "scheduled" && refund.kind === "deposit" ? (
            <p className="muted">{t("staff.refund.depositWaits")}</p>
          ) : null}
        </>
      ) : (
        <p className="muted">{t("staff.refund.readOnly")}</p>
      )}

      <section className="stack" aria-labelledby="refund-history">
        <h2 id="refund-history">{t("staff.refund.history")}</h2>
        <ol className="timeline">
          {loaded.history.map((event) => (
            <li key={event.id} className="timeline__item">
              <p>
                <strong>{t(`staff.refundStatus.${event.status}`)}</strong>
                {event.reasonCode ? ` — ${t(`staff.refundReason.${event.reasonCode}`)}` : ""}
                {event.legalDueDate && event.status === "due"
                  ? ` — ${t("staff.case.refundDue", { date: formatDate(event.legalDueDate, lang) })}`
                  : ""}
              </p>
              <p className="muted">
                <time dateTime={new Date(event.occurredAt).toISOString()}>
                  {when(event.occurredAt)}
                </time>{" "}
                ·{" "}
                {event.actorType === "staff"
                  ? t("staff.actor.staffNamed", { name: event.actorName ?? "?" })
                  : t(`staff.actor.${event.actorType}`)}
              </p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function ReasonForm(props: {
  intent: "fail" | "withhold";
  name: string;
  title: string;
  label: string;
  submit: string;
  reasons: readonly string[];
  error: MessageKey | undefined;
  busy: boolean;
}) {
  const { t } = useI18n();
  const errorId = `${props.name}-error`;
  return (
    <section className="stack" aria-labelledby={`refund-${props.intent}`}>
      <h2 id={`refund-${props.intent}`}>{props.title}</h2>
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="intent" value={props.intent} />
        <div className={props.error ? "field field--error" : "field"}>
          <label className="field__label" htmlFor={props.name}>
            {props.label}
          </label>
          {props.error ? (
            <p className="field__error" id={errorId}>
              <span className="visually-hidden">{t("form.errorPrefix")} </span>
              {t(props.error)}
            </p>
          ) : null}
          <select
            className="select"
            id={props.name}
            name={props.name}
            defaultValue=""
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? errorId : undefined}
          >
            <option value="" disabled>
              {t("staff.refund.reasonChoose")}
            </option>
            {props.reasons.map((reason) => (
              <option key={reason} value={reason}>
                {t(`staff.refundReason.${reason as ReasonCode}`)}
              </option>
            ))}
          </select>
        </div>
        <p>
          <button type="submit" className="button button--danger" disabled={props.busy}>
            {props.submit}
          </button>
        </p>
      </Form>
    </section>
  );
}
