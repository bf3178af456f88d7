import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect, redirectDocument } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { NameFields, SendAnywayCard } from "~/components/identity-fields";
import { PublicPage } from "~/components/public-page";
import { consumeLimits } from "~/auth/rate-limit.server";
import { packFor } from "~/domain/jurisdictions";
import { translate } from "~/i18n/i18n";
import { languageChanges, packLangCookie, resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { identifySubscriber } from "~/services/identify-subscriber.server";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { recordUnmatchedNotice } from "~/services/record-unmatched-notice.server";
import { fieldErrors, textValues, tooManyAttempts } from "./form-data";
import { IdentifySchema } from "./identify-schema";
import { newJourney, readJourney } from "./journey-session.server";

const FIELDS = ["firstName", "lastName", "reference", "email"] as const;

// Two entries share this page: « Résilier votre contrat » (/resilier) and the EU withdrawal
// button (/retractation, CRD art. 11a), which then asks to confirm the withdrawal.
function modeOf(request: Request) {
  return new URL(request.url).pathname.startsWith("/retractation") ? "withdraw" : "cancel";
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  const key = data?.mode === "withdraw" ? "withdrawal.identifyMetaTitle" : "identify.metaTitle";
  return [{ title: translate(lang, key, { operator: operatorName }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { journey } = await readJourney(request, context);
  return { failures: journey.failures, mode: modeOf(request) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, FIELDS);
  const handle = await readJourney(request, context);
  const { lang } = resolveLang(request);
  const mode = modeOf(request);
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
    const cookie = await handle.save({ ...newJourney(failures, mode), key: handle.journey.key });
    return data(
      { values, errors: {}, failures, problem: { key: "identify.noMatch" as const, minutes: 0 } },
      { status: 422, headers: { "Set-Cookie": cookie } },
    );
  }
  // One case follows one rule pack: the journey keeps the contracts of the law of the contract
  // the subscriber named (or of their first contract), and speaks that pack's language unless
  // the subscriber chose another.
  const named =
    found.contracts.find((contract) => found.preselectedContractIds.includes(contract.id)) ??
    found.contracts[0];
  const jurisdiction = named?.jurisdiction ?? operator.jurisdiction;
  const pack = packFor(jurisdiction);
  const sameLaw = found.contracts.filter((contract) => contract.jurisdiction === jurisdiction);
  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    await handle.save({
      ...newJourney(0, mode),
      subscriberId: found.subscriber.id,
      contractIds: sameLaw.map((contract) => contract.id),
      preselected: found.preselectedContractIds,
      email: parsed.data.email,
      identifiedAt: new Date().toISOString(),
      typed: {
        firstName: parsed.data.firstName,
        lastName: parsed.data.lastName,
        reference: parsed.data.reference,
      },
    }),
  );
  headers.append("Set-Cookie", packLangCookie(pack.defaultLanguage));
  // A change of language reloads the whole document (title, <html lang>), as the switch does.
  const go = languageChanges(request, lang, pack.defaultLanguage) ? redirectDocument : redirect;
  const next =
    mode === "withdraw"
      ? "/retractation/confirmer"
      : pack.journey === "single_page"
        ? "/kuendigen"
        : "/resilier/recapitulatif";
  throw go(next, { headers });
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
  const withdraw = loaderData.mode === "withdraw";

  return (
    <PublicPage>
      <div className="stack">
        <p className="muted">{t("journey.step", { current: 1, total: withdraw ? 2 : 3 })}</p>
        <h1>{t(withdraw ? "withdrawal.identifyTitle" : "identify.title")}</h1>
        <p className="lead">{t(withdraw ? "withdrawal.identifyLead" : "identify.lead")}</p>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, { minutes: problem.minutes }) : null} />

      <Form method="post" className="form" noValidate>
        <NameFields values={values} errors={errors} />
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

        {failures >= 2 ? <SendAnywayCard text={t("identify.anywayText")} busy={busy} /> : null}
      </Form>
    </PublicPage>
  );
}
