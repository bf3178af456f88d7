import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { SIGN_IN_PATH } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { StaffAuthPage } from "~/components/staff-frame";
import { translate } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { requestPasswordReset } from "~/services/staff/staff-accounts.server";
import { ForgotPasswordSchema } from "./schemas";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.forgot.metaTitle", { operator: operatorName }) }];
};

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, ["email"]);
  const parsed = ForgotPasswordSchema.safeParse(values);
  if (!parsed.success)
    return data(
      { values, errors: fieldErrors(parsed.error), sent: false, minutes: 0 },
      { status: 400 },
    );
  const result = await requestPasswordReset(
    { db: context.db, jobs: context.jobs, secret: context.env.SESSION_SECRET },
    { email: parsed.data.email, lang: resolveLang(request).lang, meta: context.requestMeta },
  );
  if (!result.ok)
    return data(
      {
        values,
        errors: {},
        sent: false,
        minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)),
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  // The same answer whether or not the address has an account.
  return { values: { email: "" }, errors: {}, sent: true, minutes: 0 };
}

export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <StaffAuthPage>
      <div className="stack stack--small">
        <h1>{t("staff.forgot.title")}</h1>
        <p className="lead">{t("staff.forgot.lead")}</p>
      </div>
      {actionData?.sent ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.forgot.sent")}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      <FormAlert
        message={
          actionData?.minutes
            ? t("staff.forgot.rateLimited", { minutes: actionData.minutes })
            : null
        }
      />
      <Form method="post" className="form" noValidate>
        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("staff.field.email")}
          autoComplete="username"
          defaultValue={actionData?.values.email}
          error={errors.email}
          spellCheck={false}
        />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("staff.forgot.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to={SIGN_IN_PATH}>{t("staff.forgot.back")}</Link>
      </p>
    </StaffAuthPage>
  );
}
