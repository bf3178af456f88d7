import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import { createWebhookEndpoint, listWebhookEndpoints } from "~/services/webhooks/endpoints.server";
import {
  DeliveryStatusBadge,
  EndpointFormFields,
  EndpointStateBadge,
  eventTypeLabel,
  SecretNotice,
} from "./settings-webhook-fields";
import { endpointFormValues, webhookEndpointSchema } from "./settings-webhooks-schema";

// Issue #9: the endpoints the operator's IT receives signed events on (admin only). The list,
// and a form to add one; each endpoint's page has its secret, its settings and delivery log.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.webhooks.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.webhookSettings);
  const endpoints = await listWebhookEndpoints(args.context.db);
  return {
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      eventTypes: endpoint.eventTypes,
      enabled: endpoint.enabled,
      lastDelivery: endpoint.lastDelivery,
    })),
    allowLoopbackHttp: args.context.env.NODE_ENV !== "production",
  };
}

interface Outcome {
  values?: ReturnType<typeof endpointFormValues>;
  errors?: FieldErrors;
  problem?: MessageKey;
  created?: { id: string; secret: string };
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.webhookSettings);
  const form = await args.request.formData();
  if (String(form.get("intent") ?? "") !== "create")
    return data<Outcome>({ problem: "staff.error.unknownAction" }, { status: 400 });
  const values = endpointFormValues(form);
  const schema = webhookEndpointSchema({
    allowLoopbackHttp: args.context.env.NODE_ENV !== "production",
  });
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    return data<Outcome>({ values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const endpoint = await createWebhookEndpoint(
    args.context.db,
    { staffId: staff.staff.id, meta: args.context.requestMeta },
    parsed.data,
  );
  // Shown once here; afterwards only behind the endpoint page's "reveal" button.
  return data<Outcome>({ created: { id: endpoint.id, secret: endpoint.secret } });
}

export default function WebhookSettings() {
  const { t, lang } = useI18n();
  const { endpoints, allowLoopbackHttp } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = outcome?.errors ?? {};
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.webhooks.title")} lead={t("staff.webhooks.lead")} />
      {outcome?.created ? (
        <div className="stack stack--small">
          <SecretNotice secret={outcome.created.secret} message="staff.webhooks.created" />
          <p>
            <Link to={`/staff/reglages/webhooks/${outcome.created.id}`}>
              {t("staff.webhooks.openCreated")}
            </Link>
          </p>
        </div>
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      <section className="stack" aria-labelledby="endpoints">
        <h2 id="endpoints">{t("staff.webhooks.listTitle")}</h2>
        {endpoints.length === 0 ? (
          <p>{t("staff.webhooks.none")}</p>
        ) : (
          <div className="table-wrapper">
            <table className="table">
              <caption className="visually-hidden">{t("staff.webhooks.listTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.webhooks.field.url")}</th>
                  <th scope="col">{t("staff.webhooks.field.eventTypes")}</th>
                  <th scope="col">{t("staff.webhooks.colState")}</th>
                  <th scope="col">{t("staff.webhooks.colLastDelivery")}</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((endpoint) => (
                  <tr key={endpoint.id}>
                    <td>
                      <Link to={`/staff/reglages/webhooks/${endpoint.id}`} className="hash">
                        {endpoint.url}
                      </Link>
                      {endpoint.description ? (
                        <span className="field__hint"> {endpoint.description}</span>
                      ) : null}
                    </td>
                    <td>
                      <ul className="list">
                        {endpoint.eventTypes.map((type) => (
                          <li key={type}>{t(eventTypeLabel(type))}</li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <EndpointStateBadge enabled={endpoint.enabled} />
                    </td>
                    <td>
                      {endpoint.lastDelivery ? (
                        <>
                          <DeliveryStatusBadge status={endpoint.lastDelivery.status} />{" "}
                          {endpoint.lastDelivery.lastAttemptAt
                            ? formatDateTime(
                                endpoint.lastDelivery.lastAttemptAt,
                                lang,
                                STAFF_TIME_ZONE,
                              )
                            : null}
                        </>
                      ) : (
                        t("staff.webhooks.noDelivery")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card stack narrow" aria-labelledby="new-endpoint">
        <h2 id="new-endpoint">{t("staff.webhooks.newTitle")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="post" noValidate className="form" key={outcome?.created?.id ?? "new"}>
          <input type="hidden" name="intent" value="create" />
          <EndpointFormFields
            values={
              outcome?.errors && outcome.values
                ? outcome.values
                : { url: "", description: "", eventTypes: [] }
            }
            errors={errors}
            allowLoopbackHttp={allowLoopbackHttp}
          />
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.webhooks.create")}
            </button>
          </p>
        </Form>
      </section>
    </div>
  );
}
