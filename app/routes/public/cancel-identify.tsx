import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { PublicPage } from "~/components/public-page";
import { consumeLimits } from "~/auth/rate-limit.server";
import { translate } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { identifySubscriber } from "~/services/identify-subscriber.server";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { recordUnmatchedNotice } from "~/services/record-unmatched-notice.server";
import { fieldErrors, textValues, tooManyAttempts } from "./form-data";
import { IdentifySchema } from "./identify-schema";
import { newJourney, readJourney } from "./journey-session.server";

const FIELDS = ["firstName", "lastName", "reference", "email"] as const;

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "identify.metaTitle", { operator: operatorName }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { journey } = await readJourney(request, context);
  return { failures: journey.failures };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, FIELDS);
  const handle = await readJourney(request, context);
  const { lang } = resolveLang(request);
  const parsed = IdentifySchema.safeParse(values);
  if (!parsed.success) {
    return data(
      {
        values,
        errors: fieldErrors(parsed.error),
        failures: handle.journey.failures,
        problem: null,
      },
      { status: 400 },
    );
  }
  const operator = await requirePortalOperator(context);

  if (form.get("intent") === "send_anyway" && handle.journey.failures >= 2) {
    const notice = await recordUnmatchedNotice(
      { db: context.db, jobs: context.jobs },
      {
        operatorId: operator.id,
        ...parsed.data,
        language: lang,
        idempotencyKey: handle.journey.key,
        meta: context.requestMeta,
      },
    );
    const cookie = await handle.save({ ...handle.journey, noticeId: notice.id });
    throw redirect("/resilier/avis-recu", { headers: { "Set-Cookie": cookie } });
  }

  const limited = await consumeLimits(context.db, [
    { name: "identifyByIp", key: context.requestMeta.ip ?? "unknown" },
    { name: "identifyByReference", key: parsed.data.reference.toUpperCase().replace(/\s+/g, "") },
  ]);
  if (!limited.ok) {
    const { problem, init } = tooManyAttempts(limited.retryAfterSeconds);
    return data({ values, errors: {}, failures: handle.journey.failures, problem }, init);
  }

  const found = await identifySubscriber(context.db, { operatorId: operator.id, ...parsed.data });
  if (!found.matched) {
    const failures = handle.journey.failures + 1;
    const cookie = await handle.save({ ...newJourney(failures), key: handle.journey.key });
    return data(
      { values, errors: {}, failures, problem: { key: "identify.noMatch" as const, minutes: 0 } },
      { status: 422, headers: { "Set-Cookie": cookie } },
    );
  }
  const cookie = await handle.save({
    ...newJourney(),
    subscriberId: found.subscriber.id,
    contractIds: found.contracts.map((contract) => contract.id),
    preselected: found.preselectedContractIds,
    email: parsed.data.email,
    identifiedAt: new Date().toISOString(),
  });
  throw redirect("/resilier/recapitulatif", { headers: { "Set-Cookie": cookie } });
}

export default function IdentifyPage() {
  const { t } = useI18n();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const values: Record<string, string> = actionData?.values ?? {};
  const errors: FieldErrors = actionData?.errors ?? {};
  const failures = actionData?.failures ?? loaderData.failures;
  const problem = actionData?.problem ?? null;

  return (
    <PublicPage>
      <div className="stack">
        <p className="muted">{t("journey.step", { current: 1, total: 3 })}</p>
        <h1>{t("identify.title")}</h1>
        <p className="lead">{t("identify.lead")}</p>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, { minutes: problem.minutes }) : null} />

      <Form method="post" className="form" noValidate>
        <TextField
          name="firstName"
          label={t("identify.firstName")}
          autoComplete="given-name"
          required
          defaultValue={values.firstName}
          error={errors.firstName}
          spellCheck={false}
        />
        <TextField
          name="lastName"
          label={t("identify.lastName")}
          autoComplete="family-name"
          required
          defaultValue={values.lastName}
          error={errors.lastName}
          spellCheck={false}
        />
        <TextField
          name="reference"
          label={t("identify.reference")}
          hint={t("identify.referenceHint")}
          required
          defaultValue={values.reference}
          error={errors.reference}
          spellCheck={false}
        />
        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("identify.email")}
          hint={t("identify.emailHint")}
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
          spellCheck={false}
        />
        <p className="muted">{t("identify.linesNote")}</p>
        <div className="cluster">
          <button
            type="submit"
            name="intent"
            value="identify"
            className="button button--primary button--large"
            disabled={busy}
          >
            {t("identify.submit")}
          </button>
        </div>

        {failures >= 2 ? (
          <section className="card stack" aria-labelledby="send-anyway-title">
            <h2 id="send-anyway-title">{t("identify.anywayTitle")}</h2>
            <p>{t("identify.anywayText")}</p>
            <p>
              <button
                type="submit"
                name="intent"
                value="send_anyway"
                className="button"
                disabled={busy}
              >
                {t("identify.anywaySubmit")}
              </button>
            </p>
          </section>
        ) : null}
      </Form>
    </PublicPage>
  );
}
