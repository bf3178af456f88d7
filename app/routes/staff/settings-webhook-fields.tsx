import { Choice, ChoiceGroup, TextField, type FieldErrors } from "~/components/form";
import type { WEBHOOK_DELIVERY_STATUSES } from "~/domain/enums";
import { WEBHOOK_EVENT_TYPES } from "~/domain/enums";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import { DESCRIPTION_MAX, URL_MAX } from "./settings-webhooks-schema";

// Pieces shared by the webhook list and the endpoint page.

export const eventTypeLabel = (type: string): MessageKey =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)
    ? (`staff.webhooks.type.${type as (typeof WEBHOOK_EVENT_TYPES)[number]}` as const)
    : "staff.webhooks.type.webhook.test";

/** The URL, the description and the event types (create and edit). */
export function EndpointFormFields(props: {
  values: { url: string; description: string; eventTypes: readonly string[] };
  errors: FieldErrors;
  allowLoopbackHttp: boolean;
}) {
  const { t } = useI18n();
  const { values, errors } = props;
  return (
    <>
      <TextField
        name="url"
        label={t("staff.webhooks.field.url")}
        hint={t(
          props.allowLoopbackHttp
            ? "staff.webhooks.field.urlHintDev"
            : "staff.webhooks.field.urlHint",
        )}
        error={errors.url}
        defaultValue={values.url}
        maxLength={URL_MAX}
        spellCheck={false}
        autoComplete="off"
        required
      />
      <TextField
        name="description"
        label={t("staff.webhooks.field.description")}
        hint={t("staff.webhooks.field.descriptionHint")}
        error={errors.description}
        defaultValue={values.description}
        maxLength={DESCRIPTION_MAX}
      />
      <ChoiceGroup
        name="eventTypes"
        legend={t("staff.webhooks.field.eventTypes")}
        hint={t("staff.webhooks.field.eventTypesHint")}
        error={errors.eventTypes}
      >
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <Choice
            key={type}
            type="checkbox"
            name="eventTypes"
            value={type}
            id={`eventTypes-${type.replace(".", "-")}`}
            label={
              <>
                {t(eventTypeLabel(type))} <code>{type}</code>
              </>
            }
            defaultChecked={values.eventTypes.includes(type)}
          />
        ))}
      </ChoiceGroup>
    </>
  );
}

const STATUS_BADGE: Record<(typeof WEBHOOK_DELIVERY_STATUSES)[number], string> = {
  pending: "badge badge--info",
  delivered: "badge badge--success",
  failed: "badge badge--warning",
  abandoned: "badge badge--danger",
};

export function DeliveryStatusBadge({
  status,
}: {
  status: (typeof WEBHOOK_DELIVERY_STATUSES)[number];
}) {
  const { t } = useI18n();
  return <span className={STATUS_BADGE[status]}>{t(`staff.webhooks.status.${status}`)}</span>;
}

export function EndpointStateBadge({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  return enabled ? (
    <span className="badge badge--success">{t("staff.webhooks.enabled")}</span>
  ) : (
    <span className="badge badge--danger">{t("staff.webhooks.disabled")}</span>
  );
}

/** The secret, shown once (after creation or rotation) or on request. */
export function SecretNotice({ secret, message }: { secret: string; message: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="notice notice--success stack stack--small" role="status">
      <p>{t(message)}</p>
      <p>
        <code className="mono hash" aria-label={t("staff.webhooks.secretLabel")}>
          {secret}
        </code>
      </p>
      <p className="field__hint">{t("staff.webhooks.secretKeep")}</p>
    </div>
  );
}
