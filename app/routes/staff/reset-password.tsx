import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SIGN_IN_PATH } from "~/auth/staff-access";
import { ErrorSummary, type FieldErrors } from "~/components/form";
import { StaffAuthPage } from "~/components/staff-frame";
import { translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { findResetLink, resetPassword } from "~/services/staff/staff-accounts.server";
import { NewPasswordFields } from "./new-password-fields";
import { NewPasswordSchema } from "./schemas";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.reset.metaTitle", { operator: operatorName }) }];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await findResetLink(context.db, params.token ?? "");
  if (!link) return data({ valid: false, email: "" }, { status: 410 });
  return { valid: true, email: link.user.email };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = NewPasswordSchema.safeParse({
    password: String(form.get("password") ?? ""),
    confirm: String(form.get("confirm") ?? ""),
  });
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await resetPassword(context.db, {
    token: params.token ?? "",
    password: parsed.data.password,
    meta: context.requestMeta,
  });
  if (result === "invalid_link") return data({ errors: {} as FieldErrors }, { status: 410 });
  throw redirect(`${SIGN_IN_PATH}?status=reset`, 303);
}

export default function ResetPasswordPage() {
  const { t } = useI18n();
  const { valid, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.errors ?? {};
  if (!valid)
    return (
      <StaffAuthPage>
        <h1>{t("staff.reset.invalidTitle")}</h1>
        <p className="lead">{t("staff.reset.invalidText")}</p>
        <p>
          <Link className="button button--primary" to="/staff/mot-de-passe-oublie">
            {t("staff.reset.askAgain")}
          </Link>
        </p>
      </StaffAuthPage>
    );
  return (
    <StaffAuthPage>
      <div className="stack stack--small">
        <h1>{t("staff.reset.title")}</h1>
        <p className="lead">{t("staff.reset.lead", { email })}</p>
      </div>
      <ErrorSummary errors={errors} />
      <Form method="post" className="form" noValidate>
        <NewPasswordFields email={email} errors={errors} />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("staff.reset.submit")}
          </button>
        </p>
      </Form>
    </StaffAuthPage>
  );
}
