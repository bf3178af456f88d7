import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { SIGN_IN_PATH, STAFF_ACCESS } from "~/auth/staff-access";
import { sessionCookie } from "~/auth/staff-session.server";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { StaffHeading } from "~/components/staff-frame";
import { translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { changePassword, changeStaffAccount } from "~/services/staff/staff-accounts.server";
import {
  confirmTotpSetup,
  disableTotp,
  startTotpSetup,
  type TotpSetup,
} from "~/services/staff/two-factor.server";
import { NewPasswordFields } from "./new-password-fields";
import { ChangePasswordSchema, CodeSchema } from "./schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.account.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.account);
  return { staff };
}

type Result = {
  form: string;
  errors: FieldErrors;
  problem: MessageKey | null;
  done: MessageKey | null;
  setup?: TotpSetup;
};

function answer(result: Partial<Result> & { form: string }, status = 200) {
  return data<Result>({ errors: {}, problem: null, done: null, ...result }, { status });
}

/** A well-formed 6-digit code (spaces allowed), or null. */
function codeOf(value: FormDataEntryValue | null): string | null {
  const parsed = CodeSchema.safeParse({ code: String(value ?? "") });
  return parsed.success ? parsed.data.code : null;
}

export async function action(args: ActionFunctionArgs) {
  const session = await requireStaff(args, STAFF_ACCESS.account);
  const { db, env, requestMeta } = args.context;
  const secret = env.SESSION_SECRET;
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "password": {
      const parsed = ChangePasswordSchema.safeParse({
        current: String(form.get("current") ?? ""),
        password: String(form.get("password") ?? ""),
        confirm: String(form.get("confirm") ?? ""),
      });
      if (!parsed.success) return answer({ form: intent, errors: fieldErrors(parsed.error) }, 400);
      const result = await changePassword(db, {
        staffUserId: session.staff.id,
        keepSession: session.tokenHash,
        current: parsed.data.current,
        password: parsed.data.password,
        meta: requestMeta,
      });
      if (result === "wrong_current")
        return answer({ form: intent, errors: { current: "staff.error.currentWrong" } }, 400);
      return answer({ form: intent, done: "staff.account.passwordChanged" });
    }
    case "totp_start":
      return answer({ form: "totp", setup: await startTotpSetup(db, secret, session.staff.email) });
    case "totp_confirm": {
      const result = await confirmTotpSetup(db, {
        staffUserId: session.staff.id,
        email: session.staff.email,
        sessionSecret: secret,
        pending: String(form.get("pending") ?? ""),
        code: codeOf(form.get("code")),
        meta: requestMeta,
      });
      if (result.kind === "expired")
        return answer({ form: "totp", problem: "staff.account.totpRestart" }, 400);
      if (result.kind === "wrong_code")
        return answer(
          { form: "totp", errors: { code: "staff.code.invalid" }, setup: result.setup },
          400,
        );
      return answer({ form: "totp", done: "staff.account.totpEnabled" });
    }
    case "totp_disable": {
      const result = await disableTotp(db, {
        staffUserId: session.staff.id,
        sessionSecret: secret,
        code: codeOf(form.get("disableCode")),
        meta: requestMeta,
      });
      if (result === "wrong_code")
        return answer({ form: "totp", errors: { disableCode: "staff.code.invalid" } }, 400);
      return answer({ form: "totp", done: "staff.account.totpDisabled" });
    }
    case "sign_out_everywhere": {
      await changeStaffAccount(db, {
        staffUserId: session.staff.id,
        change: { action: "sign_out_everywhere" },
        actor: session.actor,
        meta: requestMeta,
      });
      throw redirect(`${SIGN_IN_PATH}?status=signed-out`, {
        status: 303,
        headers: { "Set-Cookie": sessionCookie(args.context, null) },
      });
    }
    default:
      return answer({ form: intent, problem: "staff.error.unknownAction" }, 400);
  }
}

export default function StaffAccount() {
  const { t } = useI18n();
  const { staff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (form: string): FieldErrors => (result?.form === form ? result.errors : {});
  const passwordErrors = errorsFor("password");
  const totpErrors = errorsFor("totp");
  return (
    <div className="stack stack--large narrow">
      <StaffHeading
        title={t("staff.account.title")}
        lead={`${staff.displayName} — ${staff.email} — ${t(`staff.role.${staff.role}`)}`}
      />
      {result?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(result.done)}</p>
        </div>
      ) : null}
      <FormAlert message={result?.problem ? t(result.problem) : null} />

      <section className="card stack" aria-labelledby="account-password">
        <h2 id="account-password">{t("staff.account.passwordTitle")}</h2>
        <ErrorSummary errors={passwordErrors} />
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="password" />
          <TextField
            name="current"
            type="password"
            label={t("staff.field.currentPassword")}
            autoComplete="current-password"
            error={passwordErrors.current}
          />
          <NewPasswordFields email={staff.email} errors={passwordErrors} />
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.account.passwordSubmit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="account-totp">
        <h2 id="account-totp">{t("staff.account.totpTitle")}</h2>
        <p>{staff.totp ? t("staff.account.totpOnText") : t("staff.account.totpOffText")}</p>
        {result?.setup ? (
          <Form method="post" className="form" noValidate>
            <input type="hidden" name="intent" value="totp_confirm" />
            <input type="hidden" name="pending" value={result.setup.pending} />
            <img
              src={result.setup.qr}
              width={200}
              height={200}
              alt={t("staff.account.totpQrAlt")}
              className="qr"
            />
            <p>
              {t("staff.account.totpManual")} <code className="mono">{result.setup.secret}</code>
            </p>
            <TextField
              name="code"
              label={t("staff.field.code")}
              hint={t("staff.code.hint")}
              inputMode="numeric"
              autoComplete="one-time-code"
              error={totpErrors.code}
              short
              maxLength={7}
            />
            <p>
              <button type="submit" className="button button--primary" disabled={busy}>
                {t("staff.account.totpConfirm")}
              </button>
            </p>
          </Form>
        ) : staff.totp ? (
          <Form method="post" className="form" noValidate>
            <input type="hidden" name="intent" value="totp_disable" />
            <TextField
              name="disableCode"
              label={t("staff.field.code")}
              hint={t("staff.account.totpDisableHint")}
              inputMode="numeric"
              autoComplete="one-time-code"
              error={totpErrors.disableCode}
              short
              maxLength={7}
            />
            <p>
              <button type="submit" className="button button--danger" disabled={busy}>
                {t("staff.account.totpDisable")}
              </button>
            </p>
          </Form>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="totp_start" />
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.account.totpStart")}
            </button>
          </Form>
        )}
      </section>

      <section className="card stack" aria-labelledby="account-sessions">
        <h2 id="account-sessions">{t("staff.account.sessionsTitle")}</h2>
        <p>{t("staff.account.sessionsText")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="sign_out_everywhere" />
          <button type="submit" className="button" disabled={busy}>
            {t("staff.account.signOutEverywhere")}
          </button>
        </Form>
      </section>
    </div>
  );
}
