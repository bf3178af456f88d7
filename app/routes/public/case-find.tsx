import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { consumeLimits } from "~/auth/rate-limit.server";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { PublicPage } from "~/components/public-page";
import { translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { findCaseLink } from "~/services/load-subscriber-case.server";
import { FindCaseSchema } from "./find-case-schema";
import { fieldErrors, textValues, tooManyAttempts } from "./form-data";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "findCase.metaTitle", { operator: operatorName }) }];
};

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, ["reference", "email"]);
  const parsed = FindCaseSchema.safeParse(values);
  if (!parsed.success)
    return data({ values, errors: fieldErrors(parsed.error), problem: null }, { status: 400 });
  const limited = await consumeLimits(context.db, [
    { name: "findCaseByIp", key: context.requestMeta.ip ?? "unknown" },
  ]);
  if (!limited.ok) {
    const { problem, init } = tooManyAttempts(limited.retryAfterSeconds);
    return data({ values, errors: {}, problem }, init);
  }
  const token = await findCaseLink(context.db, context.env.SESSION_SECRET, parsed.data);
  if (token === null)
    return data(
      { values, errors: {}, problem: { key: "findCase.notFound" as MessageKey, minutes: 0 } },
      { status: 404 },
    );
  throw redirect(`/dossier/${token}`, 303);
}

export default function FindCasePage() {
  const { t } = useI18n();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values: Record<string, string> = actionData?.values ?? {};
  const errors: FieldErrors = actionData?.errors ?? {};
  const problem = actionData?.problem ?? null;
  return (
    <PublicPage>
      <div className="stack">
        <h1>{t("findCase.title")}</h1>
        <p className="lead">{t("findCase.lead")}</p>
      </div>
      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, { minutes: problem.minutes }) : null} />
      <Form method="post" className="form" noValidate>
        <TextField
          name="reference"
          label={t("findCase.reference")}
          hint={t("findCase.referenceHint")}
          defaultValue={values.reference}
          error={errors.reference}
          spellCheck={false}
        />
        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("findCase.email")}
          autoComplete="email"
          defaultValue={values.email}
          error={errors.email}
          spellCheck={false}
        />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("findCase.submit")}
          </button>
        </p>
      </Form>
      <p className="muted">{t("findCase.noCase")}</p>
    </PublicPage>
  );
}
