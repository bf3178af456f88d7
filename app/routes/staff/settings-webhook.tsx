import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, type FieldErrors } from "~/components/form";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { formatDateTime, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors } from "~/routes/public/form-data";
import {
  loadDeliveryLog,
  loadWebhookEndpoint,
  redeliverWebhook,
  revealWebhookSecret,
  rotateWebhookSecret,
  sendWebhookTest,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "~/services/webhooks/endpoints.server";
import {
  DeliveryStatusBadge,
  EndpointFormFields,
  EndpointStateBadge,
  eventTypeLabel,
  SecretNotice,
} from "./settings-webhook-fields";
import { endpointFormValues, webhookEndpointSchema } from "./settings-webhooks-schema";

// One webhook endpoint (admin): its settings, its secret (rotate, reveal), disable/enable, a
// test event, and the delivery log with each attempt and a Redeliver button. Every action is a
// plain form post (no JavaScript needed) and an audited change.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "staff.webhooks.endpointMetaTitle", { operator: operatorName }) },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.webhookEndpoint);
  const id = z.uuid().safeParse(args.params.endpointId);
  const endpoint = id.success ? await loadWebhookEndpoint(args.context.db, id.data) : null;
  if (!endpoint) throw data({ reason: "not_found" }, { status: 404 });
  const log = await loadDeliveryLog(args.context.db, endpoint.id);
  const now = new Date();
  return {
    endpoint: {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      eventTypes: endpoint.eventTypes,
      enabled: endpoint.enabled,
      disabledReason: endpoint.disabledReason,
      disabledAt: endpoint.disabledAt,
      consecutiveFailures: endpoint.consecutiveFailures,
      previousSecretUntil:
        endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > now
          ? endpoint.previousSecretExpiresAt
          : null,
    },
    deliveries: log.map((delivery) => ({
      id: delivery.id,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      status: delivery.status,
      attempts: delivery.attempts,
      lastStatusCode: delivery.lastStatusCode,
      lastAttemptAt: delivery.lastAttemptAt,
      createdAt: delivery.createdAt,
      attemptsLog: delivery.attemptsLog.map((attempt) => ({
        attempt: attempt.attempt,
        trigger: attempt.trigger,
        statusCode: attempt.statusCode,
        durationMs: attempt.durationMs,
        error: attempt.error,
        responseExcerpt: attempt.responseExcerpt,
        attemptedAt: attempt.attemptedAt,
      })),
    })),
    allowLoopbackHttp: args.context.env.NODE_ENV !== "production",
  };
}

interface Outcome {
  values?: ReturnType<typeof endpointFormValues>;
  errors?: FieldErrors;
  problem?: MessageKey;
  done?: MessageKey;
  secret?: { value: string; message: MessageKey };
}

const reply = (outcome: Outcome, status = 200) => data(outcome, { status });
const notFound = () => data({ reason: "not_found" }, { status: 404 });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.webhookEndpoint);
  const id = z.uuid().safeParse(args.params.endpointId);
  if (!id.success) throw notFound();
  const endpointId = id.data;
  const { db, jobs } = args.context;
  const act = { staffId: staff.staff.id, meta: args.context.requestMeta };
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "edit": {
      const values = endpointFormValues(form);
      const parsed = webhookEndpointSchema({
        allowLoopbackHttp: args.context.env.NODE_ENV !== "production",
      }).safeParse(values);
      if (!parsed.success) return reply({ values, errors: fieldErrors(parsed.error) }, 400);
      if (!(await updateWebhookEndpoint(db, act, endpointId, parsed.data))) throw notFound();
      return reply({ done: "staff.webhooks.saved" });
    }
    case "rotate": {
      const row = await rotateWebhookSecret(db, act, endpointId);
      if (!row) throw notFound();
      return reply({ secret: { value: row.secret, message: "staff.webhooks.rotated" } });
    }
    case "reveal": {
      const secret = await revealWebhookSecret(db, act, endpointId);
      if (secret === null) throw notFound();
      return reply({ secret: { value: secret, message: "staff.webhooks.revealed" } });
    }
    case "disable":
    case "enable": {
      const row = await setWebhookEndpointEnabled(db, act, endpointId, intent === "enable");
      if (!row) throw notFound();
      return reply({
        done: intent === "enable" ? "staff.webhooks.enabledDone" : "staff.webhooks.disabledDone",
      });
    }
    case "test": {
      if ((await sendWebhookTest({ db, jobs }, act, endpointId)) === null) throw notFound();
      return reply({ done: "staff.webhooks.testSent" });
    }
    case "redeliver": {
      const deliveryId = z.uuid().safeParse(form.get("deliveryId"));
      if (!deliveryId.success) return reply({ problem: "staff.error.unknownAction" }, 400);
      const found = await redeliverWebhook({ db, jobs }, act, {
        endpointId,
        deliveryId: deliveryId.data,
      });
      if (!found) throw notFound();
      return reply({ done: "staff.webhooks.redeliverQueued" });
    }
    default:
      return reply({ problem: "staff.error.unknownAction" }, 400);
  }
}

export default function WebhookEndpointPage() {
  const { t, lang } = useI18n();
  const { endpoint, deliveries, allowLoopbackHttp } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const busy = useNavigation().state === "submitting";
  const errors = outcome?.errors ?? {};
  const when = (value: string | Date) => formatDateTime(value, lang, STAFF_TIME_ZONE);
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/reglages/webhooks">{t("staff.webhooks.back")}</Link>
      </p>
      <StaffHeading
        title={t("staff.webhooks.endpointTitle")}
        lead={
          <>
            <span className="mono hash">{endpoint.url}</span>{" "}
            <EndpointStateBadge enabled={endpoint.enabled} />
          </>
        }
      />
      {outcome?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(outcome.done)}</p>
        </div>
      ) : null}
      {outcome?.secret ? (
        <SecretNotice secret={outcome.secret.value} message={outcome.secret.message} />
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      {!endpoint.enabled && endpoint.disabledAt ? (
        <div className="notice notice--warning" role="status">
          <p>
            {t(
              endpoint.disabledReason === "consecutive_failures"
                ? "staff.webhooks.autoDisabledText"
                : "staff.webhooks.disabledText",
              { date: when(endpoint.disabledAt), failures: endpoint.consecutiveFailures },
            )}
          </p>
        </div>
      ) : null}

      <section className="card stack stack--small" aria-labelledby="secret">
        <h2 id="secret">{t("staff.webhooks.secretTitle")}</h2>
        <p>{t("staff.webhooks.secretText")}</p>
        {endpoint.previousSecretUntil ? (
          <p>
            {t("staff.webhooks.previousSecretUntil", { date: when(endpoint.previousSecretUntil) })}
          </p>
        ) : null}
        <div className="cluster">
          <Form method="post">
            <input type="hidden" name="intent" value="reveal" />
            <button type="submit" className="button" disabled={busy}>
              {t("staff.webhooks.reveal")}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="rotate" />
            <button type="submit" className="button" disabled={busy}>
              {t("staff.webhooks.rotate")}
            </button>
          </Form>
        </div>
      </section>

      <section className="card stack stack--small" aria-labelledby="actions">
        <h2 id="actions">{t("staff.webhooks.actionsTitle")}</h2>
        <p>{t("staff.webhooks.testText")}</p>
        <div className="cluster">
          <Form method="post">
            <input type="hidden" name="intent" value="test" />
            <button type="submit" className="button" disabled={busy}>
              {t("staff.webhooks.test")}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value={endpoint.enabled ? "disable" : "enable"} />
            <button
              type="submit"
              className={endpoint.enabled ? "button button--danger" : "button"}
              disabled={busy}
            >
              {t(endpoint.enabled ? "staff.webhooks.disable" : "staff.webhooks.enable")}
            </button>
          </Form>
        </div>
      </section>

      <section className="card stack narrow" aria-labelledby="settings">
        <h2 id="settings">{t("staff.webhooks.settingsTitle")}</h2>
        <ErrorSummary errors={errors} />
        <Form method="post" noValidate className="form">
          <input type="hidden" name="intent" value="edit" />
          <EndpointFormFields
            values={
              outcome?.errors && outcome.values
                ? outcome.values
                : {
                    url: endpoint.url,
                    description: endpoint.description ?? "",
                    eventTypes: endpoint.eventTypes,
                  }
            }
            errors={errors}
            allowLoopbackHttp={allowLoopbackHttp}
          />
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.webhooks.save")}
            </button>
          </p>
        </Form>
      </section>

      <section className="stack" aria-labelledby="log">
        <h2 id="log">{t("staff.webhooks.logTitle")}</h2>
        {deliveries.length === 0 ? (
          <p>{t("staff.webhooks.noDelivery")}</p>
        ) : (
          <ul className="list stack">
            {deliveries.map((delivery) => (
              <li key={delivery.id} className="card stack stack--small">
                <h3>
                  {t(eventTypeLabel(delivery.eventType))} <code>{delivery.eventType}</code>
                </h3>
                <dl className="summary-list">
                  <div>
                    <dt>{t("staff.webhooks.colStatus")}</dt>
                    <dd>
                      <DeliveryStatusBadge status={delivery.status} />
                    </dd>
                  </div>
                  <div>
                    <dt>{t("staff.webhooks.colEvent")}</dt>
                    <dd className="mono hash">{delivery.eventId}</dd>
                  </div>
                  <div>
                    <dt>{t("staff.webhooks.colCreated")}</dt>
                    <dd>{when(delivery.createdAt)}</dd>
                  </div>
                  <div>
                    <dt>{t("staff.webhooks.colAttempts")}</dt>
                    <dd>{delivery.attempts}</dd>
                  </div>
                  <div>
                    <dt>{t("staff.webhooks.colLastResponse")}</dt>
                    <dd>
                      {delivery.lastAttemptAt
                        ? `${delivery.lastStatusCode ?? t("staff.webhooks.noResponse")} — ${when(delivery.lastAttemptAt)}`
                        : t("staff.webhooks.notYet")}
                    </dd>
                  </div>
                </dl>
                {delivery.attemptsLog.length > 0 ? (
                  <details>
                    <summary>
                      {t("staff.webhooks.attemptsDetail", { count: delivery.attemptsLog.length })}
                    </summary>
                    <ol className="list stack stack--small">
                      {delivery.attemptsLog.map((attempt) => (
                        <li key={attempt.attempt}>
                          <p>
                            {t("staff.webhooks.attemptLine", {
                              attempt: attempt.attempt,
                              date: when(attempt.attemptedAt),
                              code: attempt.statusCode ?? t("staff.webhooks.noResponse"),
                              ms: attempt.durationMs,
                            })}{" "}
                            {attempt.trigger === "manual" ? (
                              <span className="badge badge--info">
                                {t("staff.webhooks.manual")}
                              </span>
                            ) : null}
                          </p>
                          {attempt.error ? (
                            <p>
                              {t("staff.webhooks.attemptError")}{" "}
                              <code className="mono hash">{attempt.error}</code>
                            </p>
                          ) : null}
                          {attempt.responseExcerpt ? (
                            <pre className="hash">{attempt.responseExcerpt}</pre>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="redeliver" />
                  <input type="hidden" name="deliveryId" value={delivery.id} />
                  <button
                    type="submit"
                    className="button"
                    disabled={busy}
                    aria-label={t("staff.webhooks.redeliverLabel", {
                      type: delivery.eventType,
                      date: when(delivery.createdAt),
                    })}
                  >
                    {t("staff.webhooks.redeliver")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
