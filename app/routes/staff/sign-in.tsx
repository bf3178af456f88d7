import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SIGN_IN_PATH, safeNextPath } from "~/auth/staff-access";
import { openStaffSession, readStaffSession } from "~/auth/staff-session.server";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { StaffAuthPage } from "~/components/staff-frame";
import { translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { signIn } from "~/services/staff/sign-in.server";
import { SignInSchema } from "./schemas";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.signIn.metaTitle", { operator: operatorName }) }];
};

const STATUS_MESSAGES: Record<string, { key: MessageKey; tone: "success" | "warning" }> = {
  "signed-out": { key: "staff.signIn.signedOut", tone: "success" },
  reset: { key: "staff.signIn.passwordReset", tone: "success" },
  "code-locked": { key: "staff.signIn.codeLocked", tone: "warning" },
  expired: { key: "staff.signIn.expired", tone: "warning" },
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = safeNextPath(url.searchParams.get("next"));
  const session = await readStaffSession(context.db, request);
  if (session?.secondFactorDone) throw redirect(next, 303);
  const status = STATUS_MESSAGES[url.searchParams.get("status") ?? ""] ?? null;
  return { status };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = textValues(form, ["email"]);
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  const parsed = SignInSchema.safeParse({
    ...values,
    password: String(form.get("password") ?? ""),
  });
  if (!parsed.success)
    return data({ values, errors: fieldErrors(parsed.error), problem: null }, { status: 400 });
  const result = await signIn(context.db, { ...parsed.data, meta: context.requestMeta });
  const problem = (key: MessageKey, retryAfterSeconds = 0) => ({
    key,
    minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)),
  });
  switch (result.kind) {
    case "invalid":
      return data(
        { values, errors: {}, problem: problem("staff.signIn.invalid") },
        { status: 401 },
      );
    case "locked":
      return data(
        { values, errors: {}, problem: problem("staff.signIn.locked", result.retryAfterSeconds) },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    case "rate_limited":
      return data(
        {
          values,
          errors: {},
          problem: problem("staff.signIn.rateLimited", result.retryAfterSeconds),
        },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    case "signed_in": {
      const cookie = await openStaffSession(context.db, context, {
        request,
        staffUserId: result.user.id,
        secondFactorDone: !result.needsSecondFactor,
      });
      const target = result.needsSecondFactor
        ? `${SIGN_IN_PATH}/code?next=${encodeURIComponent(next)}`
        : next;
      throw redirect(target, { status: 303, headers: { "Set-Cookie": cookie } });
    }
  }
}

export default function StaffSignInPage() {
  const { t } = useI18n();
  const { status } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const values: Record<string, string> = actionData?.values ?? {};
  const errors: FieldErrors = actionData?.errors ?? {};
  const problem = actionData?.problem ?? null;
  return (
    <StaffAuthPage>
      <div className="stack stack--small">
        <h1>{t("staff.signIn.title")}</h1>
        <p className="lead">{t("staff.signIn.lead")}</p>
      </div>
      {status && !actionData ? (
        <div className={`notice notice--${status.tone}`} role="status">
          <p>{t(status.key)}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, { minutes: problem.minutes }) : null} />
      <Form method="post" className="form" noValidate>
        <TextField
          name="email"
          type="email"
          inputMode="email"
          label={t("staff.field.email")}
          autoComplete="username"
          defaultValue={values.email}
          error={errors.email}
          spellCheck={false}
        />
        <TextField
          name="password"
          type="password"
          label={t("staff.field.password")}
          autoComplete="current-password"
          error={errors.password}
        />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t("staff.signIn.submitting") : t("staff.signIn.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to="/staff/mot-de-passe-oublie">{t("staff.signIn.forgot")}</Link>
      </p>
    </StaffAuthPage>
  );
}
