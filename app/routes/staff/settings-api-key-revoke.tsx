import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { StaffHeading } from "~/components/staff-frame";
import { translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadApiKey, revokeApiKeyAudited } from "~/services/api/manage-api-keys.server";

// Issue #9: revoking an API key, behind this confirmation page (works without JavaScript).
// The key's next request is refused with 401; revoking cannot be undone.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.apiKeys.revokeMetaTitle", { operator: operatorName }) }];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findKey(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const id = args.params.apiKeyId ?? "";
  const key = UUID.test(id) ? await loadApiKey(args.context.db, id) : null;
  if (!key) throw data({ reason: "not_found" }, { status: 404 });
  return key;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.apiKeyRevoke);
  const key = await findKey(args);
  return { name: key.name, prefix: key.prefix, revoked: key.revokedAt !== null };
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.apiKeyRevoke);
  const key = await findKey(args);
  await revokeApiKeyAudited(args.context.db, {
    id: key.id,
    actor: staff.actor,
    meta: args.context.requestMeta,
  });
  return redirect(`/${STAFF_ACCESS.apiKeys.path}?revoque=${key.id}`, 303);
}

export default function RevokeApiKey() {
  const { t } = useI18n();
  const { name, prefix, revoked } = useLoaderData<typeof loader>();
  return (
    <div className="stack stack--large narrow">
      <StaffHeading title={t("staff.apiKeys.revokeTitle", { name })} />
      {revoked ? (
        <p>{t("staff.apiKeys.alreadyRevoked")}</p>
      ) : (
        <Form method="post" className="card stack">
          <p>
            {t("staff.apiKeys.revokeText")} <code className="mono">{`ee_${prefix}_…`}</code>
          </p>
          <p className="cluster">
            <button type="submit" className="button button--danger">
              {t("staff.apiKeys.revokeConfirm")}
            </button>{" "}
            <Link to={`/${STAFF_ACCESS.apiKeys.path}`}>{t("staff.apiKeys.revokeCancel")}</Link>
          </p>
        </Form>
      )}
      {revoked ? (
        <p>
          <Link to={`/${STAFF_ACCESS.apiKeys.path}`}>{t("staff.apiKeys.back")}</Link>
        </p>
      ) : null}
    </div>
  );
}
