import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { FormAlert } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { STAFF_ROLES } from "~/domain/enums";
import { formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import {
  changeStaffAccount,
  loadStaffAccount,
  type StaffChange,
} from "~/services/staff/staff-accounts.server";
import { RoleSchema } from "./schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.editAccount.metaTitle", {
        operator: operatorName,
        name: loaded?.person.displayName ?? "",
      }),
    },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.staffEdit);
  const person = await loadStaffAccount(args.context.db, args.params.staffId ?? "");
  if (!person) throw data({ reason: "not_found" }, { status: 404 });
  return {
    person: { ...person, locked: person.lockedUntil !== null && person.lockedUntil > new Date() },
    self: staff.staff.id === person.id,
  };
}

const DONE: Record<StaffChange["action"], MessageKey> = {
  role: "staff.editAccount.roleChanged",
  disable: "staff.editAccount.disabledDone",
  enable: "staff.editAccount.enabledDone",
  unlock: "staff.editAccount.unlockedDone",
  sign_out_everywhere: "staff.editAccount.signedOutDone",
};

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.staffEdit);
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  let change: StaffChange;
  if (intent === "role") {
    const parsed = RoleSchema.safeParse({ role: form.get("role") });
    if (!parsed.success)
      return data({ done: null, problem: "staff.error.role" as MessageKey }, { status: 400 });
    change = { action: "role", role: parsed.data.role };
  } else if (
    intent === "disable" ||
    intent === "enable" ||
    intent === "unlock" ||
    intent === "sign_out_everywhere"
  ) {
    change = { action: intent };
  } else {
    return data(
      { done: null, problem: "staff.error.unknownAction" as MessageKey },
      { status: 400 },
    );
  }
  const result = await changeStaffAccount(args.context.db, {
    staffUserId: args.params.staffId ?? "",
    change,
    actor: staff.actor,
    meta: args.context.requestMeta,
  });
  if (result === "not_found") throw data({ reason: "not_found" }, { status: 404 });
  if (result === "self")
    return data(
      { done: null, problem: "staff.editAccount.notSelf" as MessageKey },
      { status: 409 },
    );
  return { done: DONE[change.action], problem: null };
}

export default function StaffEdit() {
  const { t, lang } = useI18n();
  const { person, self } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="stack stack--large narrow">
      <p>
        <Link to="/staff/comptes">{t("staff.account.backToList")}</Link>
      </p>
      <StaffHeading title={person.displayName} lead={person.email} />
      {actionData?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(actionData.done)}</p>
        </div>
      ) : null}
      <FormAlert message={actionData?.problem ? t(actionData.problem) : null} />
      <dl className="summary-list">
        <dt>{t("staff.field.role")}</dt>
        <dd>{t(`staff.role.${person.role}`)}</dd>
        <dt>{t("staff.accounts.colStatus")}</dt>
        <dd>
          {person.disabledAt
            ? t("staff.accounts.disabled")
            : person.locked
              ? t("staff.accounts.locked")
              : t("staff.accounts.active")}
        </dd>
        <dt>{t("staff.accounts.totp")}</dt>
        <dd>{person.totp ? t("staff.editAccount.totpOn") : t("staff.editAccount.totpOff")}</dd>
        <dt>{t("staff.accounts.colLastSignIn")}</dt>
        <dd>
          {person.lastSignInAt
            ? formatDateTime(person.lastSignInAt, lang, STAFF_TIME_ZONE)
            : t("staff.accounts.never")}
        </dd>
      </dl>

      {!self ? (
        <Form method="post" className="form card">
          <input type="hidden" name="intent" value="role" />
          <div className="field">
            <label className="field__label" htmlFor="role">
              {t("staff.field.role")}
            </label>
            <p className="field__hint" id="role-hint">
              {t("staff.editAccount.roleHint")}
            </p>
            <select
              className="select"
              id="role"
              name="role"
              defaultValue={person.role}
              aria-describedby="role-hint"
            >
              {STAFF_ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`staff.role.${role}`)} — {t(`staff.roleHint.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <p>
            <button type="submit" className="button" disabled={busy}>
              {t("staff.editAccount.changeRole")}
            </button>
          </p>
        </Form>
      ) : (
        <p className="muted">{t("staff.editAccount.selfHint")}</p>
      )}

      <div className="cluster">
        {person.locked ? (
          <Form method="post">
            <input type="hidden" name="intent" value="unlock" />
            <button type="submit" className="button" disabled={busy}>
              {t("staff.editAccount.unlock")}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="sign_out_everywhere" />
          <button type="submit" className="button" disabled={busy}>
            {t("staff.editAccount.signOutEverywhere")}
          </button>
        </Form>
        {!self ? (
          <Form method="post">
            <input type="hidden" name="intent" value={person.disabledAt ? "enable" : "disable"} />
            <button
              type="submit"
              className={person.disabledAt ? "button" : "button button--danger"}
              disabled={busy}
            >
              {person.disabledAt ? t("staff.editAccount.enable") : t("staff.editAccount.disable")}
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
