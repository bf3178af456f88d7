import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS, canView } from "~/auth/staff-access";
import { CaseStatusBadge, STAFF_TIME_ZONE } from "~/components/staff-frame";
import { formatPhoneNumber } from "~/domain/identification";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  isLang,
  translate,
  type MessageKey,
} from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadStaffCase, recordCaseView } from "~/services/staff/load-staff-case.server";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.case.metaTitle", {
        operator: operatorName,
        reference: loaded?.case.reference ?? "",
      }),
    },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.caseDetail);
  const { db, requestMeta } = args.context;
  const found = await loadStaffCase(db, args.params.caseId ?? "");
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  await recordCaseView(db, {
    caseId: found.case.id,
    staff,
    view: "case_detail",
    meta: requestMeta,
  });
  const { case: row } = found;
  // Pseudonymised by the retention job (issue #8): the pseudonyms stand in the rows so that
  // nothing breaks; the page says "erased" instead of showing them as if they were real.
  const pseudonymisedAt = found.subscriber?.pseudonymisedAt ?? null;
  const erased = pseudonymisedAt !== null;
  return {
    ...found,
    pseudonymisedAt,
    subscriber: found.subscriber && {
      ...found.subscriber,
      email: erased ? null : found.subscriber.email,
    },
    contracts: found.contracts.map((contract) => ({
      ...contract,
      lines: erased ? [] : contract.lines,
      linesErased: erased && contract.lines.length > 0,
    })),
    // A subscriber's own address and browser stay in the audit trail (the evidence); the page
    // no longer shows them once the rest of their data is gone.
    events: found.events.map((event) => ({
      ...event,
      ip: erased && event.actorType === "subscriber" ? null : event.ip,
    })),
    emails: found.emails.map((email) => ({
      ...email,
      toAddress: erased ? null : email.toAddress,
    })),
    case: {
      id: row.id,
      reference: row.reference,
      status: row.status,
      source: row.source,
      jurisdiction: row.jurisdiction,
      language: row.language,
      receivedAt: row.receivedAt,
      requestedEndDate: row.requestedEndDate,
      effectiveEndDate: row.effectiveEndDate,
      terminationType: row.terminationType,
      feeTotalCents: row.feeTotalCents,
      currency: row.currency,
      acknowledgmentEmail: erased ? null : row.acknowledgmentEmail,
      withdrawnAt: row.withdrawnAt,
    },
    canDownload: canView(staff.staff.role, "caseDocument"),
    canDownloadEvidence: canView(staff.staff.role, "caseEvidencePack"),
    canExportSubject: canView(staff.staff.role, "subjectAccessExport"),
  };
}

function eventKey(type: string): MessageKey {
  return `staff.event.${type}` as MessageKey;
}

export default function StaffCaseDetail() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const { case: row, subscriber } = loaded;
  const [params] = useSearchParams();
  const when = (value: string | Date | null) =>
    value ? formatDateTime(value, lang, STAFF_TIME_ZONE) : "—";
  const erasedOr = (fallback: string) =>
    loaded.pseudonymisedAt ? t("staff.retention.case.erased") : fallback;
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/dossiers">{t("staff.case.back")}</Link>
      </p>
      <div className="stack stack--small">
        <h1>
          {t("staff.case.title")} <span className="mono">{row.reference}</span>
        </h1>
        <p className="cluster">
          <CaseStatusBadge status={row.status} />
          <span>{t(`staff.source.${row.source}`)}</span>
        </p>
        {loaded.canDownloadEvidence ? (
          <div className="stack stack--small">
            <p>
              <a className="button" href={`/staff/dossiers/${row.id}/preuves.zip`} download>
                {t("staff.evidence.download")}
              </a>
            </p>
            <p className="muted">{t("staff.evidence.hint")}</p>
          </div>
        ) : null}
      </div>

      {loaded.pseudonymisedAt ? (
        <div className="notice" role="note">
          <p>
            <strong>{t("staff.retention.case.noticeTitle")}</strong>
          </p>
          <p>
            {t("staff.retention.case.noticeText", {
              date: formatDate(loaded.pseudonymisedAt, lang),
            })}
          </p>
        </div>
      ) : null}
      {params.get("matched") ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.case.matched")}</p>
        </div>
      ) : null}
      <div className="card-grid">
        <section className="card stack stack--small" aria-labelledby="case-facts">
          <h2 id="case-facts">{t("staff.case.facts")}</h2>
          <dl className="summary-list">
            <dt>{t("staff.case.receivedAt")}</dt>
            <dd>{when(row.receivedAt)}</dd>
            <dt>{t("staff.case.endDate")}</dt>
            <dd>{formatDate(row.effectiveEndDate, lang)}</dd>
            <dt>{t("staff.case.type")}</dt>
            <dd>{t(`staff.terminationType.${row.terminationType}`)}</dd>
            <dt>{t("staff.case.fees")}</dt>
            <dd>
              {row.feeTotalCents === 0
                ? t("staff.case.noFees")
                : formatMoney(row.feeTotalCents, row.currency, lang)}
            </dd>
            <dt>{t("staff.case.ackEmail")}</dt>
            <dd>{row.acknowledgmentEmail ?? t("staff.retention.case.erased")}</dd>
            <dt>{t("staff.case.language")}</dt>
            <dd>{t(`language.${isLang(row.language) ? row.language : "fr"}`)}</dd>
            {row.withdrawnAt ? (
              <>
                <dt>{t("staff.case.withdrawnAt")}</dt>
                <dd>{when(row.withdrawnAt)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        {subscriber ? (
          <section className="card stack stack--small" aria-labelledby="case-subscriber">
            <h2 id="case-subscriber">{t("staff.case.subscriber")}</h2>
            <dl className="summary-list">
              <dt>{t("staff.case.name")}</dt>
              <dd>
                {subscriber.firstName} {subscriber.lastName}
              </dd>
              <dt>{t("staff.case.customerNumber")}</dt>
              <dd className="mono">{subscriber.customerNumber}</dd>
              <dt>{t("staff.field.email")}</dt>
              <dd>{subscriber.email ?? erasedOr("—")}</dd>
              <dt>{t("staff.case.phone")}</dt>
              <dd>{subscriber.phone ? formatPhoneNumber(subscriber.phone) : erasedOr("—")}</dd>
              <dt>{t("staff.case.address")}</dt>
              <dd>
                {[
                  subscriber.addressLine1,
                  [subscriber.postalCode, subscriber.city].filter(Boolean).join(" "),
                ]
                  .filter(Boolean)
                  .join(", ") || erasedOr("—")}
              </dd>
            </dl>
            {loaded.canExportSubject ? (
              <>
                <p>
                  <a href={`/staff/abonnes/${subscriber.id}/donnees.zip`} download>
                    {t("staff.subjectAccess.download")}
                  </a>
                </p>
                <p className="muted">{t("staff.subjectAccess.hint")}</p>
              </>
            ) : null}
          </section>
        ) : null}
      </div>

      <section className="stack" aria-labelledby="case-contracts">
        <h2 id="case-contracts">{t("staff.case.contracts")}</h2>
        <ul className="list stack">
          {loaded.contracts.map((contract) => (
            <li key={contract.id} className="card stack stack--small">
              <p>
                <strong>{contract.offerName}</strong> —{" "}
                <span className="mono">{contract.contractNumber}</span>
              </p>
              <p className="muted">
                {t("staff.case.contractLine", {
                  price: formatMoney(contract.monthlyPriceCents, contract.currency, lang),
                  start: formatDate(contract.startDate, lang),
                  months: contract.commitmentMonths,
                })}
              </p>
              {contract.lines.length > 0 ? (
                <p>
                  {t("staff.case.lines")} {contract.lines.map(formatPhoneNumber).join(", ")}
                </p>
              ) : null}
              {contract.linesErased ? (
                <p>
                  {t("staff.case.lines")} {t("staff.retention.case.erased")}
                </p>
              ) : null}
              {contract.equipment.length > 0 ? (
                <p>
                  {t("staff.case.equipment")}{" "}
                  {contract.equipment
                    .map(
                      (item) =>
                        `${t(`equipment.${item.kind}`)} ${item.model}${item.serial ? ` (${item.serial})` : ""}`,
                    )
                    .join(" · ")}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section className="stack" aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t("staff.case.timeline")}</h2>
        <ol className="timeline">
          {loaded.events.map((event) => (
            <li key={event.id} className="timeline__item">
              <p>
                <strong>{t(eventKey(event.type))}</strong>
              </p>
              <p className="muted">
                <time dateTime={new Date(event.occurredAt).toISOString()}>
                  {when(event.occurredAt)}
                </time>{" "}
                ·{" "}
                {event.actorType === "staff"
                  ? t("staff.actor.staffNamed", { name: event.actorName ?? "?" })
                  : t(`staff.actor.${event.actorType}`)}
                {event.ip ? ` · ${event.ip}` : ""}
              </p>
            </li>
          ))}
        </ol>
      </section>

      <section className="stack" aria-labelledby="case-documents">
        <h2 id="case-documents">{t("staff.case.documents")}</h2>
        {loaded.documents.length === 0 ? (
          <p className="muted">{t("staff.case.noDocuments")}</p>
        ) : (
          <div className="table-wrapper">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.case.documentName")}</th>
                  <th scope="col">{t("staff.case.documentCreated")}</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {loaded.documents.map((document) => (
                  <tr key={document.id}>
                    <td>
                      {loaded.canDownload && !document.purgedAt ? (
                        <a href={`/staff/dossiers/${row.id}/documents/${document.id}`} download>
                          {document.fileName}
                        </a>
                      ) : (
                        document.fileName
                      )}{" "}
                      <span className="muted">
                        (
                        {t("staff.case.documentSize", {
                          size: Math.max(1, Math.round(document.sizeBytes / 1024)),
                        })}
                        )
                      </span>
                      {document.purgedAt ? (
                        <>
                          <br />
                          <span className="muted">
                            {t("staff.retention.case.documentPurged", {
                              date: formatDate(document.purgedAt, lang),
                            })}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{when(document.createdAt)}</td>
                    <td className="mono hash">{document.sha256}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="stack" aria-labelledby="case-emails">
        <h2 id="case-emails">{t("staff.case.emails")}</h2>
        {loaded.emails.length === 0 ? (
          <p className="muted">{t("staff.case.noEmails")}</p>
        ) : (
          <ul className="list">
            {loaded.emails.map((email) => (
              <li key={email.id}>
                {t(`staff.emailKind.${email.kind}`)} —{" "}
                {email.toAddress ?? t("staff.retention.case.erased")} —{" "}
                {email.status === "sent"
                  ? t("staff.case.emailSent", { when: when(email.sentAt) })
                  : t(`staff.emailStatus.${email.status}`, { attempts: email.attempts })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="case-returns">
        <h2 id="case-returns">{t("staff.case.returns")}</h2>
        {loaded.returns.length === 0 ? (
          <p className="muted">{t("staff.case.noReturns")}</p>
        ) : (
          loaded.returns.map((ret) => (
            <div key={ret.id} className="card stack stack--small">
              <p>
                <span className="mono">{ret.returnNumber}</span> —{" "}
                {t(`staff.returnStatus.${ret.status}`)}
              </p>
              <ul className="list">
                {ret.items.map((item) => (
                  <li key={item.id}>
                    {t(`equipment.${item.kind}`)} {item.model} —{" "}
                    {item.receivedAt
                      ? t("staff.case.itemReceived", { when: when(item.receivedAt) })
                      : t("staff.case.itemAwaited")}
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </section>

      <section className="stack" aria-labelledby="case-refunds">
        <h2 id="case-refunds">{t("staff.case.refunds")}</h2>
        {loaded.refunds.length === 0 ? (
          <p className="muted">{t("staff.case.noRefunds")}</p>
        ) : (
          <ul className="list">
            {loaded.refunds.map((refund) => (
              <li key={refund.id}>
                {t(`refund.${refund.kind}`)} —{" "}
                {formatMoney(refund.amountCents, refund.currency, lang)} —{" "}
                {t(`staff.refundStatus.${refund.status}`)}
                {refund.legalDueDate
                  ? ` — ${t("staff.case.refundDue", { date: formatDate(refund.legalDueDate, lang) })}`
                  : ""}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="case-survey">
        <h2 id="case-survey">{t("staff.case.survey")}</h2>
        {loaded.survey ? (
          <dl className="summary-list">
            <dt>{t("staff.case.surveyReason")}</dt>
            <dd>{t(`exitReason.${loaded.survey.reason}`)}</dd>
            {loaded.survey.competitor ? (
              <>
                <dt>{t("staff.case.surveyCompetitor")}</dt>
                <dd>{loaded.survey.competitor}</dd>
              </>
            ) : null}
            {loaded.survey.details ? (
              <>
                <dt>{t("staff.case.surveyDetails")}</dt>
                <dd>{loaded.survey.details}</dd>
              </>
            ) : null}
            {loaded.survey.pseudonymisedAt ? (
              <>
                <dt>{t("staff.case.surveyDetails")}</dt>
                <dd>
                  {t("staff.retention.case.surveyErased", {
                    date: formatDate(loaded.survey.pseudonymisedAt, lang),
                  })}
                </dd>
              </>
            ) : null}
            <dt>{t("staff.case.surveyComeBack")}</dt>
            <dd>{loaded.survey.wouldComeBack ?? "—"}</dd>
            <dt>{t("staff.case.surveyConsent")}</dt>
            <dd>
              {loaded.survey.contactConsent && !loaded.survey.consentWithdrawnAt
                ? t("staff.case.surveyConsentYes", {
                    channel: loaded.survey.contactChannel
                      ? t(`channel.${loaded.survey.contactChannel}`)
                      : "—",
                    window: loaded.survey.contactWindow
                      ? t(`window.${loaded.survey.contactWindow}`)
                      : "—",
                  })
                : t("staff.case.surveyConsentNo")}
            </dd>
          </dl>
        ) : (
          <p className="muted">{t("staff.case.noSurvey")}</p>
        )}
      </section>
    </div>
  );
}
