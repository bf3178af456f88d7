import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, TextField, type FieldErrors } from "~/components/form";
import { StaffHeading } from "~/components/staff-frame";
import { STAFF_ROLES } from "~/domain/enums";
import { translate } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { createStaffAccount } from "~/services/staff/staff-accounts.server";
import { NewStaffSchema } from "./schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.newAccount.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.staffNew);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.staffNew);
  const { db, jobs, env, requestMeta } = args.context;
  const form = await args.request.formData();
  const values = textValues(form, ["email", "displayName", "role"]);
  const parsed = NewStaffSchema.safeParse(values);
  if (!parsed.success) return data({ values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await createStaffAccount(
    { db, jobs, secret: env.SESSION_SECRET },
    {
      ...parsed.data,
      lang: resolveLang(args.request).lang,
      actor: staff.actor,
      meta: requestMeta,
    },
  );
  if (result.kind === "email_taken")
    return data(
      { values, errors: { email: "staff.error.emailTaken" } as FieldErrors },
      { status: 409 },
    );
  throw redirect("/staff/comptes?created=1", 303);
}

export default function StaffNew() {
  const { t } = useI18n();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values: Record<string, string> = actionData?.values ?? {};
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <div className="stack stack--large narrow">
      <p>
        <Link to="/staff/comptes">{t("staff.account.backToList")}</Link>
      </p>
      <StaffHeading title={t("staff.newAccount.title")} lead={t("staff.newAccount.lead")} />
      <ErrorSummary errors={errors} />
      <Form method="post" className="form" noValidate>
        <TextField
          name="displayName"
          label={t("staff.field.displayName")}
          autoComplete="off"
          defaultValue={values.displayName}
          error={errors.displayName}
        />
        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("staff.field.email")}
          autoComplete="off"
          defaultValue={values.email}
          error={errors.email}
          spellCheck={false}
        />
        <RoleSelect defaultValue={values.role} error={errors.role} />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("staff.newAccount.submit")}
          </button>
        </p>
      </Form>
    </div>
  );
}

function RoleSelect(props: { defaultValue?: string; error?: FieldErrors[string] }) {
  const { t } = useI18n();
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor="role">
        {t("staff.field.role")}
      </label>
      {props.error ? (
        <p className="field__error" id="role-error">
          {t(props.error)}
        </p>
      ) : null}
      <select
        className="select"
        id="role"
        name="role"
        defaultValue={props.defaultValue ?? ""}
        aria-describedby={props.error ? "role-error" : undefined}
      >
        <option value="" disabled>
          {t("staff.field.roleChoose")}
        </option>
        {STAFF_ROLES.map((role) => (
          <option key={role} value={role}>
            {t(`staff.role.${role}`)} — {t(`staff.roleHint.${role}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
