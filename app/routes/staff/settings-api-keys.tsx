import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import {
  Choice,
  ChoiceGroup,
  ErrorSummary,
  FormAlert,
  TextField,
  type FieldErrors,
} from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { API_SCOPES } from "~/domain/enums";
import { formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { createApiKeyAudited, listApiKeys } from "~/services/api/manage-api-keys.server";

// Issue #9: the API keys of the integrations (the operator's BSS, carriers), admin only. The
// list, a form to create one — its key is shown once, on the page the form answers — and a
// link to revoke each (behind a confirmation page).

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.apiKeys.metaTitle", { operator: operatorName }) }];
};

// The answer to "create" holds the new key: no cache may keep this page (the root's Vary stays).
export const headers: HeadersFunction = ({ parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  headers.set("Cache-Control", "no-store");
  return headers;
};

const NewApiKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "staff.apiKeys.error.nameRequired")
    .max(80, "staff.apiKeys.error.nameLength"),
  scopes: z
    .array(z.enum(API_SCOPES, { error: "staff.apiKeys.error.scopesRequired" }))
    .min(1, "staff.apiKeys.error.scopesRequired"),
});

const SCOPE_LABEL: Record<(typeof API_SCOPES)[number], MessageKey> = {
  "contracts:write": "staff.apiKeys.scope.contractsWrite",
  "cases:read": "staff.apiKeys.scope.casesRead",
  "returns:write": "staff.apiKeys.scope.returnsWrite",
  "refunds:write": "staff.apiKeys.scope.refundsWrite",
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.apiKeys);
  const keys = await listApiKeys(args.context.db);
  const revoked = new URL(args.request.url).searchParams.get("revoque");
  return {
    revokedName: revoked === null ? null : (keys.find((key) => key.id === revoked)?.name ?? null),
    keys: keys.map((key) => ({
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scopes: key.scopes,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    })),
  };
}

interface Outcome {
  values?: { name: string; scopes: string[] };
  errors?: FieldErrors;
  problem?: MessageKey;
  created?: { id: string; name: string; key: string };
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.apiKeys);
  const form = await args.request.formData();
  if (String(form.get("intent") ?? "") !== "create")
    return data<Outcome>({ problem: "staff.error.unknownAction" }, { status: 400 });
  const values = {
    name: String(form.get("name") ?? ""),
    scopes: form.getAll("scopes").map(String),
  };
  const parsed = NewApiKeySchema.safeParse(values);
  if (!parsed.success)
    return data<Outcome>({ values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const created = await createApiKeyAudited(args.context.db, {
    name: parsed.data.name,
    scopes: parsed.data.scopes,
    staffId: staff.staff.id,
    actor: staff.actor,
    meta: args.context.requestMeta,
  });
  // The only time the key is ever shown: only its SHA-256 is stored.
  return data<Outcome>({ created: { id: created.id, name: parsed.data.name, key: created.key } });
}

export default function ApiKeySettings() {
  const { t, lang } = useI18n();
  const { keys, revokedName } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = outcome?.errors ?? {};
  const values = outcome?.errors && outcome.values ? outcome.values : { name: "", scopes: [] };
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.apiKeys.title")} lead={t("staff.apiKeys.lead")} />
      {outcome?.created ? (
        <div className="notice notice--success stack stack--small" role="status">
          <p>{t("staff.apiKeys.created", { name: outcome.created.name })}</p>
          <p>
            <code className="mono hash" aria-label={t("staff.apiKeys.keyLabel")}>
              {outcome.created.key}
            </code>
          </p>
          <p className="field__hint">{t("staff.apiKeys.copyHint")}</p>
        </div>
      ) : null}
      {revokedName !== null ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.apiKeys.revoked", { name: revokedName })}</p>
        </div>
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      <p>
        {t("staff.apiKeys.docsIntro")} <a href="/api/v1/docs">{t("staff.apiKeys.docsLink")}</a>
      </p>
      <section className="stack" aria-labelledby="api-keys">
        <h2 id="api-keys">{t("staff.apiKeys.listTitle")}</h2>
        {keys.length === 0 ? (
          <p>{t("staff.apiKeys.none")}</p>
        ) : (
          <div className="table-wrapper">
            <table className="table">
              <caption className="visually-hidden">{t("staff.apiKeys.listTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.apiKeys.field.name")}</th>
                  <th scope="col">{t("staff.apiKeys.colPrefix")}</th>
                  <th scope="col">{t("staff.apiKeys.field.scopes")}</th>
                  <th scope="col">{t("staff.apiKeys.colCreated")}</th>
                  <th scope="col">{t("staff.apiKeys.colLastUsed")}</th>
                  <th scope="col">{t("staff.apiKeys.colState")}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <th scope="row">{key.name}</th>
                    <td>
                      <code className="mono">{`ee_${key.prefix}_…`}</code>
                    </td>
                    <td>
                      <ul className="list">
                        {key.scopes.map((scope) => (
                          <li key={scope}>
                            <code className="mono">{scope}</code>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{formatDateTime(key.createdAt, lang, STAFF_TIME_ZONE)}</td>
                    <td>
                      {key.lastUsedAt
                        ? formatDateTime(key.lastUsedAt, lang, STAFF_TIME_ZONE)
                        : t("staff.apiKeys.neverUsed")}
                    </td>
                    <td>
                      {key.revokedAt ? (
                        <>
                          <span className="badge badge--danger">
                            {t("staff.apiKeys.stateRevoked")}
                          </span>{" "}
                          {formatDateTime(key.revokedAt, lang, STAFF_TIME_ZONE)}
                        </>
                      ) : (
                        <>
                          <span className="badge badge--success">
                            {t("staff.apiKeys.stateActive")}
                          </span>{" "}
                          <Link to={`/staff/reglages/api/${key.id}/revoquer`}>
                            {t("staff.apiKeys.revoke")}
                            <span className="visually-hidden"> {key.name}</span>
                          </Link>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card stack narrow" aria-labelledby="new-api-key">
        <h2 id="new-api-key">{t("staff.apiKeys.newTitle")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="post" noValidate className="form" key={outcome?.created?.id ?? "new"}>
          <input type="hidden" name="intent" value="create" />
          <TextField
            name="name"
            label={t("staff.apiKeys.field.name")}
            hint={t("staff.apiKeys.field.nameHint")}
            defaultValue={values.name}
            error={errors.name}
            maxLength={80}
            autoComplete="off"
          />
          <ChoiceGroup
            name="scopes"
            legend={t("staff.apiKeys.field.scopes")}
            hint={t("staff.apiKeys.field.scopesHint")}
            error={errors.scopes}
          >
            {API_SCOPES.map((scope) => (
              <Choice
                key={scope}
                type="checkbox"
                name="scopes"
                value={scope}
                id={`scope-${scope.replace(":", "-")}`}
                label={<code className="mono">{scope}</code>}
                hint={t(SCOPE_LABEL[scope])}
                defaultChecked={values.scopes.includes(scope)}
              />
            ))}
          </ChoiceGroup>
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.apiKeys.create")}
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}
