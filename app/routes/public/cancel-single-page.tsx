import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect, redirectDocument } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { consumeLimits } from "~/auth/rate-limit.server";
import {
  Choice,
  ChoiceGroup,
  ErrorSummary,
  FormAlert,
  TextField,
  type FieldErrors,
} from "~/components/form";
import { NameFields, SendAnywayCard } from "~/components/identity-fields";
import { PublicPage } from "~/components/public-page";
import { addMonths, dateInZone } from "~/domain/dates";
import { packFor } from "~/domain/jurisdictions";
import { formatDate, translate, type MessageKey } from "~/i18n/i18n";
import { languageChanges, packLangCookie, resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { identifySubscriber } from "~/services/identify-subscriber.server";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { notifyCancellation } from "~/services/notify-cancellation.server";
import { recordUnmatchedNotice } from "~/services/record-unmatched-notice.server";
import { fieldErrors, textValues, tooManyAttempts } from "./form-data";
import { newJourney, readJourney, type Journey } from "./journey-session.server";
import { SINGLE_PAGE_FIELDS, SinglePageSchema } from "./single-page-schema";

// Germany (§ 312k BGB): the entry „Verträge hier kündigen" leads straight to this one page, which
// asks for the legal fields only and carries the „jetzt kündigen" button from the moment it
// loads; the next page is the acknowledgment. No account, no offer, no survey before it.

const PACK = packFor("DE");

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "singlePage.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

type ProblemView = { key: MessageKey; params?: Record<string, string | number> };

function emptyValues(journey: Journey): Record<string, string> {
  return {
    terminationType: "ordinary",
    reason: "",
    firstName: journey.typed?.firstName ?? "",
    lastName: journey.typed?.lastName ?? "",
    reference: journey.typed?.reference ?? "",
    endDateMode: "earliest",
    endDate: "",
    email: journey.email ?? "",
  };
}

function pageFacts() {
  const today = dateInZone(new Date(), PACK.timeZone);
  return {
    reasons: PACK.legitimateReasons.map((reason) => reason.code),
    today,
    latest: addMonths(today, 24),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const handle = await readJourney(request, context);
  // After a notice, this page starts a fresh journey (a second contract is a second notice).
  const journey =
    handle.journey.caseId === undefined ? handle.journey : newJourney(handle.journey.failures);
  const headers = new Headers({ "Cache-Control": "no-store" });
  // Saved only when it changes: after a POST this loader runs again with the request's cookie,
  // and saving then would undo what the action just saved (the failure count).
  if (journey !== handle.journey || journey.summaryShownAt === undefined)
    headers.append(
      "Set-Cookie",
      await handle.save({ ...journey, summaryShownAt: new Date().toISOString() }),
    );
  return data(
    {
      ...pageFacts(),
      values: emptyValues(journey),
      errors: {} as FieldErrors,
      problem: null as ProblemView | null,
      failures: journey.failures,
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, SINGLE_PAGE_FIELDS);
  const handle = await readJourney(request, context);
  const { journey } = handle;
  const { lang } = resolveLang(request);
  const reply = (
    status: number,
    errors: FieldErrors,
    problem: ProblemView | null,
    init: { failures?: number; headers?: HeadersInit } = {},
  ) =>
    data(
      {
        ...pageFacts(),
        values,
        errors,
        problem,
        failures: init.failures ?? journey.failures,
      },
      { status, headers: init.headers },
    );

  const parsed = SinglePageSchema.safeParse({ ...values, intent: form.get("intent") ?? "notify" });
  if (!parsed.success) return reply(400, fieldErrors(parsed.error), null);
  const input = parsed.data;
  if (input.terminationType === "extraordinary" && !pageFacts().reasons.includes(input.reason))
    return reply(400, { reason: "singlePage.error.reason" }, null);
  const operator = await requirePortalOperator(context);

  // § 312k: a declaration must reach the operator even when it cannot be matched at once.
  if (input.intent === "send_anyway" && journey.failures >= 2) {
    const notice = await recordUnmatchedNotice(
      { db: context.db, jobs: context.jobs },
      {
        operatorId: operator.id,
        firstName: input.firstName,
        lastName: input.lastName,
        reference: input.reference,
        email: input.email,
        language: lang,
        idempotencyKey: journey.key,
        meta: context.requestMeta,
      },
    );
    const cookie = await handle.save({ ...journey, noticeId: notice.id });
    throw redirect("/resilier/avis-recu", { status: 303, headers: { "Set-Cookie": cookie } });
  }

  const limited = await consumeLimits(context.db, [
    { name: "identifyByIp", key: context.requestMeta.ip ?? "unknown" },
    { name: "identifyByReference", key: input.reference.toUpperCase().replace(/\s+/g, "") },
  ]);
  if (!limited.ok) {
    const { problem, init } = tooManyAttempts(limited.retryAfterSeconds);
    return reply(init.status, {}, problem, { headers: init.headers });
  }

  const found = await identifySubscriber(context.db, {
    operatorId: operator.id,
    firstName: input.firstName,
    lastName: input.lastName,
    reference: input.reference,
  });
  if (!found.matched) {
    const failures = journey.failures + 1;
    const cookie = await handle.save({ ...journey, failures });
    return reply(
      422,
      {},
      { key: "singlePage.noMatch" },
      { failures, headers: { "Set-Cookie": cookie } },
    );
  }

  const named = found.contracts.filter((contract) =>
    found.preselectedContractIds.includes(contract.id),
  );
  const chosen = (named.length > 0 ? named : found.contracts).filter(
    (contract) => contract.jurisdiction === PACK.code,
  );
  if (chosen.length === 0) {
    // A contract under another law: its own journey (summary page) applies, already identified.
    const other = named[0] ?? found.contracts[0];
    const jurisdiction = other?.jurisdiction ?? operator.jurisdiction;
    const headers = new Headers();
    headers.append(
      "Set-Cookie",
      await handle.save({
        ...newJourney(),
        subscriberId: found.subscriber.id,
        contractIds: found.contracts
          .filter((contract) => contract.jurisdiction === jurisdiction)
          .map((contract) => contract.id),
        preselected: found.preselectedContractIds,
        email: input.email,
        identifiedAt: new Date().toISOString(),
      }),
    );
    const packLang = packFor(jurisdiction).defaultLanguage;
    headers.append("Set-Cookie", packLangCookie(packLang));
    const go = languageChanges(request, lang, packLang) ? redirectDocument : redirect;
    throw go("/resilier/recapitulatif", { status: 303, headers });
  }

  const now = new Date().toISOString();
  const result = await notifyCancellation(
    { db: context.db, jobs: context.jobs, secret: context.env.SESSION_SECRET },
    {
      subscriberId: found.subscriber.id,
      contractIds: chosen.map((contract) => contract.id),
      acknowledgmentEmail: input.email,
      endDate:
        input.endDateMode === "date" ? { kind: "date", date: input.endDate } : { kind: "earliest" },
      terminationType: input.terminationType,
      legitimateReason: input.terminationType === "extraordinary" ? input.reason : null,
      proof: null,
      idempotencyKey: journey.key,
      language: lang,
      identifiedAt: new Date(now),
      summaryShownAt: new Date(journey.summaryShownAt ?? now),
      meta: context.requestMeta,
    },
  );
  switch (result.kind) {
    case "notified": {
      const cookie = await handle.save({
        ...journey,
        subscriberId: found.subscriber.id,
        contractIds: chosen.map((contract) => contract.id),
        caseId: result.caseId,
        caseToken: result.token,
      });
      throw redirect("/resilier/accuse", { status: 303, headers: { "Set-Cookie": cookie } });
    }
    case "already_open":
      return reply(
        409,
        {},
        {
          key: "summary.alreadyOpen",
          params: { reference: result.reference, date: formatDate(result.effectiveEndDate, lang) },
        },
      );
    case "invalid_end_date":
      return reply(
        400,
        {
          endDate: `singlePage.error.${result.summary.endDateError ?? "invalid"}` as MessageKey,
        },
        {
          key: "singlePage.earliestIs",
          params: { date: formatDate(result.summary.window.earliest, lang) },
        },
      );
    case "withdrawal_closed":
    case "notice_resolved":
    case "contract_unavailable":
      return reply(409, {}, { key: "summary.contractUnavailable" });
  }
}

export default function SinglePage() {
  const { t, lang } = useI18n();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { values, reasons, today, latest } = actionData ?? loaderData;
  const errors: FieldErrors = actionData?.errors ?? {};
  const problem = actionData?.problem ?? null;
  const failures = actionData?.failures ?? loaderData.failures;

  return (
    <PublicPage>
      <div className="stack">
        <p className="muted">{t("journey.step", { current: 1, total: 2 })}</p>
        <h1>{t("singlePage.title")}</h1>
        <p className="lead">{t("singlePage.lead")}</p>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, problem.params) : null} />

      <Form method="post" className="form" noValidate>
        <ChoiceGroup
          name="terminationType"
          legend={t("singlePage.typeLegend")}
          error={errors.terminationType}
        >
          <Choice
            type="radio"
            name="terminationType"
            value="ordinary"
            id="terminationType"
            defaultChecked={values.terminationType !== "extraordinary"}
            label={t("singlePage.typeOrdinary")}
            hint={t("singlePage.typeOrdinaryHint")}
          />
          <Choice
            type="radio"
            name="terminationType"
            value="extraordinary"
            id="terminationType-extraordinary"
            defaultChecked={values.terminationType === "extraordinary"}
            label={t("singlePage.typeExtraordinary")}
            hint={t("singlePage.typeExtraordinaryHint")}
          />
        </ChoiceGroup>
        <ChoiceGroup
          name="reason"
          legend={t("singlePage.reasonLegend")}
          hint={t("singlePage.reasonHint")}
          error={errors.reason}
        >
          {reasons.map((code, index) => (
            <Choice
              key={code}
              type="radio"
              name="reason"
              value={code}
              id={index === 0 ? "reason" : `reason-${code}`}
              defaultChecked={values.reason === code}
              label={t(`reason.${code}` as MessageKey)}
            />
          ))}
        </ChoiceGroup>

        <NameFields values={values} errors={errors} />
        <TextField
          name="reference"
          label={t("singlePage.contract")}
          hint={t("singlePage.contractHint")}
          required
          defaultValue={values.reference}
          error={errors.reference}
          spellCheck={false}
        />

        <ChoiceGroup
          name="endDateMode"
          legend={t("singlePage.endDateLegend")}
          hint={t("singlePage.endDateHint")}
        >
          <Choice
            type="radio"
            name="endDateMode"
            value="earliest"
            id="endDateMode"
            defaultChecked={values.endDateMode !== "date"}
            label={t("singlePage.endDateEarliest")}
          />
          <Choice
            type="radio"
            name="endDateMode"
            value="date"
            id="endDateMode-date"
            defaultChecked={values.endDateMode === "date"}
            label={t("singlePage.endDateOn")}
          />
        </ChoiceGroup>
        <TextField
          name="endDate"
          type="date"
          label={t("summary.endDateField")}
          hint={t("singlePage.endDateFieldHint", { date: formatDate(today, lang) })}
          defaultValue={values.endDate}
          min={today}
          max={latest}
          error={errors.endDate}
          short
        />

        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("singlePage.email")}
          hint={t("singlePage.emailHint")}
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
          spellCheck={false}
        />

        <div className="cluster">
          <button
            type="submit"
            name="intent"
            value="notify"
            className="button button--primary button--large"
            disabled={busy}
          >
            {t("singlePage.submit")}
          </button>
        </div>
        <p className="muted">{t("singlePage.submitHint")}</p>

        {failures >= 2 ? <SendAnywayCard text={t("singlePage.anywayText")} busy={busy} /> : null}
      </Form>
    </PublicPage>
  );
}
