import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Consequences } from "~/components/consequences";
import type { FieldErrors } from "~/components/form";
import { RefundTracking, ReturnTracking } from "~/components/return-tracking";
import { PublicPage } from "~/components/public-page";
import { formatDate, formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { chooseReturnMethod } from "~/services/returns/choose-return-method.server";
import { loadCaseReturnAndRefunds } from "~/services/returns/load-case-return.server";
import { requireCaseByToken } from "./case-access.server";
import { fieldErrors } from "./form-data";
import { ReturnMethodSchema } from "./return-method-schema";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "case.pageMetaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const tracking = await loadCaseReturnAndRefunds(context.db, view.case.id);
  return data(
    {
      reference: view.case.reference,
      status: view.case.status,
      receivedAt: view.case.receivedAt.toISOString(),
      withdrawnAt: view.case.withdrawnAt?.toISOString() ?? null,
      effectiveEndDate: view.case.effectiveEndDate,
      timeZone: view.timeZone,
      summary: view.summary,
      timeline: view.timeline.map((event) => ({
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
      })),
      withdrawable: view.withdrawable,
      supportEmail: view.operatorSupportEmail,
      letterPath: `/dossier/${params.token}/lettre.pdf`,
      // Issue #8: once the retention period is over, the personal data are pseudonymised and
      // the documents' contents purged; the case itself stays readable.
      pseudonymisedAt: view.pseudonymisedAt?.toISOString() ?? null,
      letterAvailable:
        view.pseudonymisedAt === null
          ? !view.documents.some((doc) => doc.kind === "termination_letter" && doc.purgedAt)
          : view.documents.some((doc) => doc.kind === "termination_letter" && !doc.purgedAt),
      labelPath: `/dossier/${params.token}/etiquette-retour.pdf`,
      evidencePath: `/dossier/${params.token}/preuves.zip`,
      tracking,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

// The return-method form (the only form of the page besides the withdrawal's own page).
export async function action({ params, context, request }: ActionFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const form = await request.formData();
  const parsed = ReturnMethodSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await chooseReturnMethod(context.db, {
    caseId: view.case.id,
    choice: parsed.data,
    meta: context.requestMeta,
  });
  if (result.kind === "chosen")
    return redirect(`/dossier/${params.token}?retour=ok#mode-de-retour`, 303);
  const errors: FieldErrors =
    result.kind === "invalid_pickup_date"
      ? { pickupDate: "returnTrack.error.pickupDate" }
      : result.kind === "method_unavailable"
        ? { method: "returnTrack.error.method" }
        : { method: "returnTrack.error.locked" };
  return data({ errors }, { status: result.kind === "locked" ? 409 : 400 });
}

const STATUS_BADGE: Record<string, string> = {
  received: "badge badge--info",
  confirmed: "badge badge--info",
  effective: "badge badge--success",
  closed: "badge",
  withdrawn: "badge badge--warning",
};

export default function CasePage() {
  const { t, lang } = useI18n();
  const view = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const actionData = useActionData<typeof action>();
  const { equipmentReturn, refunds } = view.tracking;
  return (
    <PublicPage>
      <div className="stack">
        <h1>{t("case.pageTitle", { reference: view.reference })}</h1>
        <p>
          <span className={STATUS_BADGE[view.status]}>
            {t(`caseStatus.${view.status}` as MessageKey)}
          </span>
        </p>
      </div>
      {search.get("retrait") === "ok" ? (
        <div className="notice notice--success" role="status">
          <p>{t("withdraw.done")}</p>
        </div>
      ) : null}

      {view.pseudonymisedAt ? (
        <div className="notice" role="note">
          <p>
            <strong>{t("dataRetention.case.title")}</strong>
          </p>
          <p>
            {t("dataRetention.case.text", {
              date: formatDate(view.pseudonymisedAt, lang),
              email: view.supportEmail,
            })}
          </p>
        </div>
      ) : null}

      <dl className="summary-list">
        <div>
          <dt>{t("ack.receivedAt")}</dt>
          <dd>
            <time dateTime={view.receivedAt}>
              {formatDateTime(view.receivedAt, lang, view.timeZone)}
            </time>
          </dd>
        </div>
        <div>
          <dt>{t("ack.endDate")}</dt>
          <dd>
            {view.status === "withdrawn"
              ? t("case.noEndWithdrawn")
              : formatDate(view.effectiveEndDate, lang)}
          </dd>
        </div>
      </dl>

      <section className="card stack" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("case.timelineTitle")}</h2>
        <ol className="list">
          {view.timeline.map((event, index) => (
            <li key={`${event.type}-${index}`}>
              <time dateTime={event.occurredAt}>
                {formatDateTime(event.occurredAt, lang, view.timeZone)}
              </time>
              {t("punctuation.colon")}
              {t(`timeline.${event.type}` as MessageKey)}
            </li>
          ))}
        </ol>
      </section>

      <section className="card stack" aria-labelledby="letter-title">
        <h2 id="letter-title">{t("ack.letterTitle")}</h2>
        {view.letterAvailable ? (
          <p>
            <a className="button" href={view.letterPath} download>
              {t("ack.downloadLetter")}
            </a>
          </p>
        ) : (
          <p>{t("dataRetention.case.letterGone")}</p>
        )}
      </section>

      <section id="preuves" className="card stack" aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t("case.evidenceTitle")}</h2>
        <p>{t("case.evidenceText")}</p>
        {search.get("preuves") === "attente" ? (
          <div className="notice notice--warning" role="status">
            <p>
              {t("case.evidenceTooMany", {
                minutes: Math.max(1, Number(search.get("minutes")) || 60),
              })}
            </p>
          </div>
        ) : null}
        <p>
          <a className="button" href={view.evidencePath} download>
            {t("case.evidenceDownload")}
          </a>
        </p>
      </section>

      {equipmentReturn ? (
        <ReturnTracking
          view={equipmentReturn}
          labelPath={view.labelPath}
          timeZone={view.timeZone}
          errors={actionData?.errors ?? {}}
          saved={search.get("retour") === "ok"}
        />
      ) : null}
      {refunds.length > 0 ? <RefundTracking refunds={refunds} timeZone={view.timeZone} /> : null}

      {view.status !== "withdrawn" ? <Consequences summary={view.summary} /> : null}

      <section className="card stack" aria-labelledby="withdraw-title">
        <h2 id="withdraw-title">{t("withdraw.title")}</h2>
        {view.withdrawable.ok ? (
          <>
            <p>{t("withdraw.possible", { date: formatDate(view.effectiveEndDate, lang) })}</p>
            <p>
              <Link className="button" to="retrait" relative="path">
                {t("withdraw.start")}
              </Link>
            </p>
          </>
        ) : (
          <p>
            {t(`withdraw.refused.${view.withdrawable.reason}` as MessageKey, {
              email: view.supportEmail,
            })}
          </p>
        )}
      </section>
    </PublicPage>
  );
}
