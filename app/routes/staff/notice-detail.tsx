import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE } from "~/components/staff-frame";
import { formatDate, formatDateTime, isLang, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { REJECTION_REASONS, parseRejection, type NoticeSubmitted } from "~/domain/notice-rejection";
import {
  findCandidates,
  loadNotice,
  matchNotice,
  recordNoticeView,
  rejectNotice,
} from "~/services/staff/unmatched-notices.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.notice.metaTitle", {
        operator: operatorName,
        reference: loaded?.notice.reference ?? "",
      }),
    },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.noticeDetail);
  const { db, requestMeta } = args.context;
  const found = await loadNotice(db, args.params.noticeId ?? "");
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { notice } = found;
  await recordNoticeView(db, { noticeId: notice.id, staff, meta: requestMeta });
  const submitted = notice.submitted as NoticeSubmitted;
  const search = (new URL(args.request.url).searchParams.get("q") ?? "").slice(0, 120);
  const candidates =
    notice.status === "pending"
      ? await findCandidates(db, notice.operatorId, [
          submitted.reference ?? "",
          `${submitted.firstName ?? ""} ${submitted.lastName ?? ""}`,
          search,
        ])
      : [];
  return {
    notice: {
      id: notice.id,
      reference: notice.reference,
      receivedAt: notice.receivedAt,
      status: notice.status,
      // Pseudonymised by the retention job (issue #8): "erased" rather than the stand-in address.
      email: notice.pseudonymisedAt ? null : notice.email,
      pseudonymisedAt: notice.pseudonymisedAt,
      language: notice.language,
      submitted,
      resolvedAt: notice.resolvedAt,
      rejection: notice.status === "rejected" ? parseRejection(notice.rejectionReason) : null,
    },
    resolvedByName: found.resolvedByName,
    caseReference: found.caseReference,
    matchedCaseId: notice.matchedCaseId,
    search,
    candidates,
    canAct: (STAFF_ACCESS.noticeDetail.act as readonly string[]).includes(staff.staff.role),
  };
}

const MatchSchema = z.object({
  subscriberId: z.uuid("staff.notice.error.subscriber"),
  contractIds: z.array(z.uuid()).min(1, "staff.notice.error.contracts"),
});
const RejectSchema = z.object({
  reason: z.enum(REJECTION_REASONS, { error: "staff.notice.error.reason" }),
  note: z
    .string()
    .trim()
    .max(500, "staff.notice.error.noteTooLong")
    .transform((value) => (value === "" ? null : value)),
});

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.noticeDetail);
  const { db, jobs, env, requestMeta } = args.context;
  const noticeId = args.params.noticeId ?? "";
  const form = await args.request.formData();
  const intent = form.get("intent");
  const problem = (key: MessageKey, status: number) =>
    data({ intent, errors: {} as FieldErrors, problem: key }, { status });

  if (intent === "match") {
    const parsed = MatchSchema.safeParse({
      subscriberId: form.get("subscriberId"),
      contractIds: form.getAll("contractIds").map(String),
    });
    if (!parsed.success)
      return data(
        {
          intent,
          errors: fieldErrors(parsed.error),
          problem: null,
          subscriberId: String(form.get("subscriberId") ?? ""),
        },
        { status: 400 },
      );
    const result = await matchNotice(
      { db, jobs, secret: env.SESSION_SECRET },
      { noticeId, ...parsed.data, staff, meta: requestMeta },
    );
    switch (result.kind) {
      case "notified":
        throw redirect(`/staff/dossiers/${result.caseId}?matched=1`, 303);
      case "not_found":
        throw data({ reason: "not_found" }, { status: 404 });
      case "notice_resolved":
        return problem("staff.notice.alreadyResolved", 409);
      case "already_open":
        return problem("staff.notice.alreadyOpen", 409);
      case "contract_unavailable":
      case "invalid_end_date":
        return problem("staff.notice.contractUnavailable", 409);
    }
  }
  if (intent === "reject") {
    const parsed = RejectSchema.safeParse({
      reason: form.get("reason"),
      note: String(form.get("note") ?? ""),
    });
    if (!parsed.success)
      return data({ intent, errors: fieldErrors(parsed.error), problem: null }, { status: 400 });
    const result = await rejectNotice(
      { db, jobs },
      { noticeId, reason: parsed.data.reason, note: parsed.data.note, staff, meta: requestMeta },
    );
    if (result === "not_found") throw data({ reason: "not_found" }, { status: 404 });
    if (result === "already_resolved") return problem("staff.notice.alreadyResolved", 409);
    throw redirect(`/staff/avis?statut=rejected`, 303);
  }
  return problem("staff.error.unknownAction", 400);
}

export default function StaffNoticeDetail() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { notice } = loaded;
  const errors: FieldErrors = actionData?.errors ?? {};
  const failedCandidate =
    actionData && "subscriberId" in actionData ? actionData.subscriberId : null;
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/avis">{t("staff.notice.back")}</Link>
      </p>
      <div className="stack stack--small">
        <h1>
          {t("staff.notice.title")} <span className="mono">{notice.reference}</span>
        </h1>
        <p className="lead">
          {t("staff.notice.receivedAt", {
            when: formatDateTime(notice.receivedAt, lang, STAFF_TIME_ZONE),
          })}
        </p>
      </div>
      {notice.pseudonymisedAt ? (
        <div className="notice" role="note">
          <p>
            {t("staff.retention.notice.pseudonymised", {
              date: formatDate(notice.pseudonymisedAt, lang),
            })}
          </p>
        </div>
      ) : null}
      <section className="card stack stack--small" aria-labelledby="notice-typed">
        <h2 id="notice-typed">{t("staff.notice.typed")}</h2>
        <dl className="summary-list">
          <dt>{t("staff.case.name")}</dt>
          <dd>
            {notice.submitted.firstName} {notice.submitted.lastName}
          </dd>
          <dt>{t("staff.notice.typedReference")}</dt>
          <dd className="mono">
            {notice.submitted.reference ||
              (notice.pseudonymisedAt ? t("staff.retention.case.erased") : "")}
          </dd>
          <dt>{t("staff.field.email")}</dt>
          <dd>{notice.email ?? t("staff.retention.case.erased")}</dd>
          <dt>{t("staff.case.language")}</dt>
          <dd>{t(`language.${isLang(notice.language) ? notice.language : "fr"}`)}</dd>
        </dl>
      </section>

      {notice.status === "matched" ? (
        <div className="notice notice--success" role="status">
          <p>
            {t("staff.notice.matchedBy", {
              name: loaded.resolvedByName ?? "?",
              when: notice.resolvedAt
                ? formatDateTime(notice.resolvedAt, lang, STAFF_TIME_ZONE)
                : "",
            })}{" "}
            <Link to={`/staff/dossiers/${loaded.matchedCaseId}`} className="mono">
              {loaded.caseReference}
            </Link>
          </p>
        </div>
      ) : null}
      {notice.status === "rejected" && notice.rejection ? (
        <div className="notice notice--warning" role="status">
          <p>
            {t("staff.notice.rejectedBy", {
              name: loaded.resolvedByName ?? "?",
              when: notice.resolvedAt
                ? formatDateTime(notice.resolvedAt, lang, STAFF_TIME_ZONE)
                : "",
            })}{" "}
            {t(`staff.rejection.${notice.rejection.code}`)}
            {notice.rejection.note ? ` — ${notice.rejection.note}` : ""}
          </p>
        </div>
      ) : null}

      <ErrorSummary errors={errors} />
      <FormAlert message={actionData?.problem ? t(actionData.problem) : null} />

      {notice.status === "pending" ? (
        <>
          <section className="stack" aria-labelledby="notice-candidates">
            <h2 id="notice-candidates">{t("staff.notice.candidates")}</h2>
            <Form method="get" role="search" className="filters">
              <div className="field">
                <label className="field__label" htmlFor="q">
                  {t("staff.notice.searchLabel")}
                </label>
                <input
                  className="input"
                  id="q"
                  name="q"
                  type="search"
                  defaultValue={loaded.search}
                  spellCheck={false}
                />
              </div>
              <div className="filters__submit">
                <button type="submit" className="button">
                  {t("staff.cases.search")}
                </button>
              </div>
            </Form>
            {loaded.candidates.length === 0 ? (
              <p className="muted">{t("staff.notice.noCandidates")}</p>
            ) : (
              loaded.candidates.map((candidate) => (
                <Form method="post" key={candidate.id} className="card stack stack--small">
                  <input type="hidden" name="intent" value="match" />
                  <input type="hidden" name="subscriberId" value={candidate.id} />
                  {/* Only the candidate that was submitted carries the id the error summary
                      links to: ids stay unique when several candidates are listed. */}
                  <fieldset
                    className={candidate.id === failedCandidate ? "field field--error" : "field"}
                    id={candidate.id === failedCandidate ? "contractIds" : undefined}
                  >
                    <legend>
                      {candidate.firstName} {candidate.lastName} —{" "}
                      <span className="mono">{candidate.customerNumber}</span>
                      {candidate.city ? ` — ${candidate.city}` : ""}
                    </legend>
                    {candidate.id === failedCandidate && errors.contractIds ? (
                      <p className="field__error">{t(errors.contractIds)}</p>
                    ) : null}
                    {candidate.contracts.length === 0 ? (
                      <p className="muted">{t("staff.notice.noActiveContract")}</p>
                    ) : (
                      <div className="choices">
                        {candidate.contracts.map((contract) => (
                          <div className="choice" key={contract.id}>
                            <input
                              type="checkbox"
                              name="contractIds"
                              value={contract.id}
                              id={`contract-${contract.id}`}
                              defaultChecked={candidate.contracts.length === 1}
                            />
                            <label htmlFor={`contract-${contract.id}`}>
                              {contract.offerName} —{" "}
                              <span className="mono">{contract.contractNumber}</span>
                              {contract.status !== "active"
                                ? ` (${t("staff.notice.pendingCancellation")})`
                                : ""}
                            </label>
                          </div>
                        ))}
                      </div>
                    )}
                  </fieldset>
                  {loaded.canAct && candidate.contracts.length > 0 ? (
                    <p>
                      <button type="submit" className="button button--primary" disabled={busy}>
                        {t("staff.notice.match")}
                      </button>
                    </p>
                  ) : null}
                </Form>
              ))
            )}
            <p className="muted">{t("staff.notice.matchHint")}</p>
          </section>

          {loaded.canAct ? (
            <section className="stack" aria-labelledby="notice-reject">
              <h2 id="notice-reject">{t("staff.notice.reject")}</h2>
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="reject" />
                <div className={errors.reason ? "field field--error" : "field"}>
                  <label className="field__label" htmlFor="reason">
                    {t("staff.notice.reasonLabel")}
                  </label>
                  {errors.reason ? (
                    <p className="field__error" id="reason-error">
                      {t(errors.reason)}
                    </p>
                  ) : null}
                  <select
                    className="select"
                    id="reason"
                    name="reason"
                    defaultValue=""
                    aria-describedby={errors.reason ? "reason-error" : undefined}
                  >
                    <option value="" disabled>
                      {t("staff.notice.reasonChoose")}
                    </option>
                    {REJECTION_REASONS.map((reason) => (
                      <option key={reason} value={reason}>
                        {t(`staff.rejection.${reason}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className={errors.note ? "field field--error" : "field"}>
                  <label className="field__label" htmlFor="note">
                    {t("staff.notice.noteLabel")}
                  </label>
                  <p className="field__hint" id="note-hint">
                    {t("staff.notice.noteHint")}
                  </p>
                  {errors.note ? <p className="field__error">{t(errors.note)}</p> : null}
                  <textarea
                    className="textarea"
                    id="note"
                    name="note"
                    rows={3}
                    maxLength={500}
                    aria-describedby="note-hint"
                  />
                </div>
                <p>
                  <button type="submit" className="button button--danger" disabled={busy}>
                    {t("staff.notice.rejectSubmit")}
                  </button>
                </p>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
