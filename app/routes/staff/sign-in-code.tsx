import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { SIGN_IN_PATH, safeNextPath } from "~/auth/staff-access";
import {
  closeStaffSession,
  completeSecondFactor,
  readStaffSession,
  sessionCookie,
} from "~/auth/staff-session.server";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { StaffAuthPage } from "~/components/staff-frame";
import { translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { checkSecondFactor } from "~/services/staff/sign-in.server";
import { CodeSchema } from "./schemas";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.code.metaTitle", { operator: operatorName }) }];
};

/** The code step exists only between a correct password and a correct code. */
async function pendingSession(request: Request, context: LoaderFunctionArgs["context"]) {
  const session = await readStaffSession(context.db, request);
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  if (!session) throw redirect(SIGN_IN_PATH, 303);
  if (session.secondFactorDone) throw redirect(next, 303);
  return { session, next };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await pendingSession(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, next } = await pendingSession(request, context);
  const form = await request.formData();
  const parsed = CodeSchema.safeParse({ code: String(form.get("code") ?? "") });
  if (!parsed.success)
    return data({ errors: fieldErrors(parsed.error), problem: null }, { status: 400 });
  const result = await checkSecondFactor(context.db, {
    user: session.user,
    code: parsed.data.code,
    secret: context.env.SESSION_SECRET,
    meta: context.requestMeta,
  });
  if (result === "ok") {
    await completeSecondFactor(context.db, session.tokenHash);
    throw redirect(next, 303);
  }
  if (result === "too_many") {
    await closeStaffSession(context.db, session.tokenHash);
    throw redirect(`${SIGN_IN_PATH}?status=code-locked`, {
      status: 303,
      headers: { "Set-Cookie": sessionCookie(context, null) },
    });
  }
  return data({ errors: {}, problem: "staff.code.invalid" as MessageKey }, { status: 401 });
}

export default function StaffCodePage() {
  const { t } = useI18n();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <StaffAuthPage>
      <div className="stack stack--small">
        <h1>{t("staff.code.title")}</h1>
        <p className="lead">{t("staff.code.lead")}</p>
      </div>
      <ErrorSummary errors={errors} />
      <FormAlert message={actionData?.problem ? t(actionData.problem) : null} />
      <Form method="post" className="form" noValidate>
        <TextField
          name="code"
          label={t("staff.field.code")}
          hint={t("staff.code.hint")}
          inputMode="numeric"
          autoComplete="one-time-code"
          error={errors.code}
          short
          maxLength={7}
          spellCheck={false}
        />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("staff.code.submit")}
          </button>
        </p>
      </Form>
    </StaffAuthPage>
  );
}
