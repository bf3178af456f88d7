import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Consequences } from "~/components/consequences";
import { Choice, ChoiceGroup, ErrorSummary, type FieldErrors } from "~/components/form";
import { PublicPage } from "~/components/public-page";
import { CONTACT_CHANNELS, CONTACT_WINDOWS, EXIT_REASONS } from "~/domain/enums";
import { packFor } from "~/domain/jurisdictions";
import { formatDate, formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadCaseById } from "~/services/load-subscriber-case.server";
import { loadSurveyAnswer, saveSurveyAnswer } from "~/services/save-survey-answer.server";
import { fieldErrors } from "./form-data";
import { readJourney } from "./journey-session.server";
import { SurveyAnswerSchema } from "./survey-schema";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "ack.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

async function loadAcknowledgment(request: Request, context: LoaderFunctionArgs["context"]) {
  const { journey } = await readJourney(request, context);
  if (journey.caseId === undefined || journey.caseToken === undefined) throw redirect("/resilier");
  const view = await loadCaseById(context.db, journey.caseId);
  if (view === null) throw redirect("/resilier");
  return { view, token: journey.caseToken };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { view, token } = await loadAcknowledgment(request, context);
  const survey = await loadSurveyAnswer(context.db, view.case.id);
  return data(
    {
      reference: view.case.reference,
      receivedAt: view.case.receivedAt.toISOString(),
      email: view.case.acknowledgmentEmail,
      timeZone: view.timeZone,
      summary: view.summary,
      withdrawal: view.case.terminationType === "withdrawal",
      // The withdrawal and Germany's one-page form take two steps; the summary journey three.
      steps:
        view.case.terminationType === "withdrawal" ||
        packFor(view.case.jurisdiction).journey === "single_page"
          ? 2
          : 3,
      caseUrl: new URL(`/dossier/${token}`, context.env.APP_URL).toString(),
      casePath: `/dossier/${token}`,
      surveyAnswered: survey !== undefined,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { view } = await loadAcknowledgment(request, context);
  const form = await request.formData();
  const values = Object.fromEntries(
    [...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const parsed = SurveyAnswerSchema.safeParse(values);
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), values, saved: false }, { status: 400 });
  await saveSurveyAnswer(context.db, {
    caseId: view.case.id,
    subscriberId: view.case.subscriberId,
    answer: parsed.data,
    meta: context.requestMeta,
  });
  return { errors: {} as FieldErrors, values, saved: true };
}

export default function AcknowledgmentPage() {
  const { t, lang } = useI18n();
  const ack = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const saved = actionData?.saved === true || ack.surveyAnswered;

  return (
    <PublicPage>
      <div className="notice notice--success stack" role="status">
        <p className="muted">{t("journey.step", { current: ack.steps, total: ack.steps })}</p>
        <h1>{t(ack.withdrawal ? "withdrawal.ackTitle" : "ack.title")}</h1>
        <p className="lead">{t(ack.withdrawal ? "withdrawal.ackLead" : "ack.lead")}</p>
      </div>

      <dl className="summary-list">
        <div>
          <dt>{t("ack.reference")}</dt>
          <dd>
            <strong>{ack.reference}</strong>
          </dd>
        </div>
        <div>
          <dt>{t("ack.receivedAt")}</dt>
          <dd>
            <time dateTime={ack.receivedAt}>
              {formatDateTime(ack.receivedAt, lang, ack.timeZone)}
            </time>
          </dd>
        </div>
        <div>
          <dt>{t("ack.endDate")}</dt>
          <dd>{formatDate(ack.summary.endDate, lang)}</dd>
        </div>
        <div>
          <dt>{t("ack.sentTo")}</dt>
          <dd>{ack.email}</dd>
        </div>
      </dl>

      <section className="card stack" aria-labelledby="case-link-title">
        <h2 id="case-link-title">{t("ack.caseLinkTitle")}</h2>
        <p>{t("ack.caseLinkText")}</p>
        <p>
          <a href={ack.casePath}>{ack.caseUrl}</a>
        </p>
      </section>

      <section className="card stack" aria-labelledby="letter-title">
        <h2 id="letter-title">{t("ack.letterTitle")}</h2>
        <p>{t("ack.letterText")}</p>
        <p>
          <a className="button" href="/resilier/accuse/lettre.pdf" download>
            {t("ack.downloadLetter")}
          </a>
        </p>
      </section>

      <Consequences summary={ack.summary} />

      <section className="card stack" aria-labelledby="survey-title">
        <h2 id="survey-title">{t("survey.title")}</h2>
        {saved ? (
          <p role="status">{t("survey.thanks")}</p>
        ) : (
          <>
            <p>{t("survey.lead")}</p>
            <ErrorSummary errors={errors} />
            <Form method="post" className="form" noValidate>
              <div className={errors.reason ? "field field--error" : "field"}>
                <label className="field__label" htmlFor="reason">
                  {t("survey.reason")}
                </label>
                {errors.reason ? <p className="field__error">{t(errors.reason)}</p> : null}
                <select
                  className="select"
                  id="reason"
                  name="reason"
                  defaultValue={values.reason ?? ""}
                >
                  <option value="">{t("survey.reasonChoose")}</option>
                  {EXIT_REASONS.map((reason) => (
                    <option key={reason} value={reason}>
                      {t(`exitReason.${reason}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label className="field__label" htmlFor="details">
                  {t("survey.details")}
                </label>
                <p className="field__hint" id="details-hint">
                  {t("survey.detailsHint")}
                </p>
                <textarea
                  className="textarea"
                  id="details"
                  name="details"
                  rows={4}
                  defaultValue={values.details}
                  aria-describedby="details-hint"
                />
              </div>
              <div className="field">
                <label className="field__label" htmlFor="competitor">
                  {t("survey.competitor")}
                </label>
                <input
                  className="input"
                  id="competitor"
                  name="competitor"
                  defaultValue={values.competitor}
                />
              </div>
              <div className="field">
                <label className="field__label" htmlFor="wouldComeBack">
                  {t("survey.comeBack")}
                </label>
                <p className="field__hint" id="wouldComeBack-hint">
                  {t("survey.comeBackHint")}
                </p>
                <select
                  className="select input--short"
                  id="wouldComeBack"
                  name="wouldComeBack"
                  defaultValue={values.wouldComeBack ?? ""}
                  aria-describedby="wouldComeBack-hint"
                >
                  <option value="">—</option>
                  {Array.from({ length: 11 }, (_, score) => (
                    <option key={score} value={String(score)}>
                      {score}
                    </option>
                  ))}
                </select>
              </div>
              <div className="choice">
                <input
                  type="checkbox"
                  id="contactConsent"
                  name="contactConsent"
                  value="yes"
                  defaultChecked={values.contactConsent === "yes"}
                />
                <label htmlFor="contactConsent">{t("survey.consent")}</label>
              </div>
              <ChoiceGroup
                name="contactChannel"
                legend={t("survey.channel")}
                hint={t("survey.channelHint")}
                error={errors.contactChannel}
              >
                {CONTACT_CHANNELS.map((channel) => (
                  <Choice
                    key={channel}
                    type="radio"
                    name="contactChannel"
                    value={channel}
                    id={`contactChannel-${channel}`}
                    defaultChecked={values.contactChannel === channel}
                    label={t(`channel.${channel}` as MessageKey)}
                  />
                ))}
              </ChoiceGroup>
              <ChoiceGroup
                name="contactWindow"
                legend={t("survey.window")}
                error={errors.contactWindow}
              >
                {CONTACT_WINDOWS.map((window) => (
                  <Choice
                    key={window}
                    type="radio"
                    name="contactWindow"
                    value={window}
                    id={`contactWindow-${window}`}
                    defaultChecked={values.contactWindow === window}
                    label={t(`window.${window}` as MessageKey)}
                  />
                ))}
              </ChoiceGroup>
              <p>
                <button type="submit" className="button" disabled={busy}>
                  {t("survey.submit")}
                </button>
              </p>
            </Form>
          </>
        )}
      </section>
    </PublicPage>
  );
}
