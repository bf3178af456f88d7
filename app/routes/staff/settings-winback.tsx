import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { FormAlert, TextField, type FieldErrors } from "~/components/form";
import { StaffHeading } from "~/components/staff-frame";
import { CONTACT_WINDOWS, EXIT_REASONS, WINBACK_QUEUES, type StaffRole } from "~/domain/enums";
import { CONTACT_WINDOW_HOURS } from "~/domain/winback-policy";
import {
  DEFAULT_ROUTING,
  type ExitReason,
  type RoutingRule,
  type WinbackQueue,
} from "~/domain/winback-routing";
import { formatDate, translate, type MessageKey, type MessageParams } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { createOffer, listOffers, setOfferActive } from "~/services/winback/offers.server";
import {
  loadSettingsHistory,
  type SettingsChange,
} from "~/services/winback/settings-history.server";
import {
  loadRoutingTable,
  loadWinbackSettings,
  saveRoutingTable,
  saveWinbackPolicy,
} from "~/services/winback/settings.server";
import {
  MAX_AGE_DAYS,
  MAX_ATTEMPTS,
  NewOfferSchema,
  NO_QUEUE,
  OFFER_CODE_MAX,
  OfferActiveSchema,
  queueField,
  ROUTING_FIELDS,
  RoutingRulesSchema,
  SLA_HOURS,
  slaField,
  WinbackPolicySchema,
} from "./settings-winback-schemas";
import { ErrorText, OfferTextFields } from "./settings-winback-fields";

// Issue #7: the retention settings admin changes in the UI — where each exit reason goes, the
// contact policy, the offer catalogue — and the audited history of those changes. Compliance
// reads the same page without the forms.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "staff.winbackSettings.metaTitle", { operator: operatorName }) },
  ];
};

const mayEdit = (role: StaffRole) =>
  (STAFF_ACCESS.winbackSettings.act as readonly StaffRole[]).includes(role);

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.winbackSettings);
  const operator = await requirePortalOperator(args.context);
  const { db } = args.context;
  const [rules, settings, offers, history] = await Promise.all([
    loadRoutingTable(db, operator.id),
    loadWinbackSettings(db, operator.id),
    listOffers(db, operator.id),
    loadSettingsHistory(db),
  ]);
  return {
    canEdit: mayEdit(staff.role),
    rules,
    policy: { maxAttempts: settings.maxAttempts, maxAgeDays: settings.maxAgeDays },
    timeZone: settings.timeZone,
    offers: offers.map(({ id, code, name, description, active }) => ({
      id,
      code,
      name,
      description,
      active,
    })),
    history,
  };
}

type SettingsForm = "rules" | "policy" | "offer" | "offerActive";

/** What an action answers: the form it concerns, and either its errors or what was done. */
interface Outcome {
  form: SettingsForm;
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: MessageKey;
  done?: { key: MessageKey; params?: MessageParams };
  /** Changes after each successful add, so that the add form starts empty again. */
  added?: string;
}

const reply = (outcome: Outcome, status = 200) => data(outcome, { status });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.winbackSettings);
  const operator = await requirePortalOperator(args.context);
  const { db, requestMeta } = args.context;
  const form = await args.request.formData();
  const change = { operatorId: operator.id, actor: staff.actor, meta: requestMeta };
  const unchanged = { key: "staff.winbackSettings.unchanged" as MessageKey };

  switch (String(form.get("intent") ?? "")) {
    case "rules": {
      const values = textValues(form, ROUTING_FIELDS);
      const parsed = RoutingRulesSchema.safeParse(values);
      if (!parsed.success)
        return reply({ form: "rules", values, errors: fieldErrors(parsed.error) }, 400);
      const changed = await saveRoutingTable(db, { ...change, table: parsed.data });
      return reply({
        form: "rules",
        done:
          changed === 0
            ? unchanged
            : {
                key:
                  changed === 1
                    ? "staff.winbackSettings.rulesSaved.one"
                    : "staff.winbackSettings.rulesSaved.other",
                params: { count: changed },
              },
      });
    }
    case "policy": {
      const values = textValues(form, ["maxAttempts", "maxAgeDays"]);
      const parsed = WinbackPolicySchema.safeParse(values);
      if (!parsed.success)
        return reply({ form: "policy", values, errors: fieldErrors(parsed.error) }, 400);
      const saved = await saveWinbackPolicy(db, { ...change, policy: parsed.data });
      return reply({
        form: "policy",
        done: saved ? { key: "staff.winbackSettings.policySaved" } : unchanged,
      });
    }
    case "offer": {
      const values = textValues(form, ["code", "name", "description"]);
      const parsed = NewOfferSchema.safeParse(values);
      if (!parsed.success)
        return reply({ form: "offer", values, errors: fieldErrors(parsed.error) }, 400);
      const result = await createOffer(db, { ...change, ...parsed.data });
      if (result.kind === "code_taken")
        return reply(
          {
            form: "offer",
            values,
            errors: { code: "staff.winbackSettings.error.offerCodeTaken" },
          },
          409,
        );
      return reply({
        form: "offer",
        added: result.offer.id,
        done: {
          key: "staff.winbackSettings.offerCreated",
          params: { code: result.offer.code },
        },
      });
    }
    case "offerActive": {
      const parsed = OfferActiveSchema.safeParse({
        offerId: form.get("offerId"),
        active: form.get("active"),
      });
      if (!parsed.success)
        return reply(
          { form: "offerActive", problem: "staff.winbackSettings.error.offerUnknown" },
          400,
        );
      const result = await setOfferActive(db, { ...change, ...parsed.data });
      if (result === "not_found") throw data({ reason: "not_found" }, { status: 404 });
      return reply({
        form: "offerActive",
        done:
          result === "unchanged"
            ? unchanged
            : {
                key: parsed.data.active
                  ? "staff.winbackSettings.offerReactivated"
                  : "staff.winbackSettings.offerDeactivated",
              },
      });
    }
    default:
      return reply({ form: "rules", problem: "staff.error.unknownAction" }, 400);
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function WinbackSettings() {
  const { t } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsOf = (form: SettingsForm): FieldErrors =>
    outcome?.form === form ? (outcome.errors ?? {}) : {};
  const valuesOf = (form: SettingsForm): Record<string, string> | undefined =>
    outcome?.form === form && outcome.errors ? outcome.values : undefined;

  return (
    <div className="stack stack--large">
      <StaffHeading
        title={t("staff.winbackSettings.title")}
        lead={t(
          loaded.canEdit ? "staff.winbackSettings.lead" : "staff.winbackSettings.leadReadOnly",
        )}
      />
      <nav aria-label={t("staff.winbackSettings.sectionsLabel")}>
        <ul className="cluster section-links" role="list">
          <li>
            <a href="#regles">{t("staff.winbackSettings.rules.title")}</a>
          </li>
          <li>
            <a href="#politique">{t("staff.winbackSettings.policy.title")}</a>
          </li>
          <li>
            <a href="#offres">{t("staff.winbackSettings.offers.title")}</a>
          </li>
          <li>
            <a href="#historique">{t("staff.winbackSettings.history.title")}</a>
          </li>
        </ul>
      </nav>

      {outcome?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(outcome.done.key, outcome.done.params)}</p>
        </div>
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      {outcome?.errors ? (
        <SettingsErrorSummary form={outcome.form} errors={outcome.errors} />
      ) : null}

      <RulesSection
        loaded={loaded}
        busy={busy}
        errors={errorsOf("rules")}
        values={valuesOf("rules")}
      />
      <PolicySection
        loaded={loaded}
        busy={busy}
        errors={errorsOf("policy")}
        values={valuesOf("policy")}
      />
      <OffersSection
        loaded={loaded}
        busy={busy}
        errors={errorsOf("offer")}
        values={valuesOf("offer")}
        addedKey={outcome?.form === "offer" ? (outcome.added ?? "") : ""}
      />
      <HistorySection loaded={loaded} />
    </div>
  );
}

/** The problems of the submitted form, each linking to its field; a rule's names its reason. */
function SettingsErrorSummary({ form, errors }: { form: SettingsForm; errors: FieldErrors }) {
  const { t } = useI18n();
  const entries = Object.entries(errors).filter(
    (entry): entry is [string, MessageKey] => entry[1] !== undefined,
  );
  if (entries.length === 0) return null;
  const reasonOf = (field: string) =>
    form === "rules" ? EXIT_REASONS.find((reason) => field.endsWith(`_${reason}`)) : undefined;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 className="error-summary__title" id="error-summary-title">
        {t("form.errorSummaryTitle")}
      </h2>
      <ul className="list">
        {entries.map(([field, key]) => {
          const reason = reasonOf(field);
          return (
            <li key={field}>
              <a href={`#${field}`}>
                {reason
                  ? t("staff.winbackSettings.error.forReason", {
                      reason: t(`exitReason.${reason}`),
                      message: t(key),
                    })
                  : t(key)}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

interface SectionProps {
  loaded: Loaded;
  busy: boolean;
  errors: FieldErrors;
  values: Record<string, string> | undefined;
}

function useRuleText() {
  const { t } = useI18n();
  const queueName = (queue: WinbackQueue | string | null) =>
    queue === null
      ? t("staff.winbackSettings.queue.none")
      : t(`staff.winbackSettings.queue.${queue as WinbackQueue}`);
  return (rule: { queue: string | null; slaHours: number }) =>
    rule.queue === null
      ? queueName(null)
      : t("staff.winbackSettings.rules.summary", {
          queue: queueName(rule.queue),
          hours: rule.slaHours,
        });
}

function RulesSection({ loaded, busy, errors, values }: SectionProps) {
  const { t } = useI18n();
  const ruleText = useRuleText();
  return (
    <section className="stack" aria-labelledby="regles">
      <h2 id="regles">{t("staff.winbackSettings.rules.title")}</h2>
      <p>{t("staff.winbackSettings.rules.intro")}</p>
      <div className="notice">
        <p>{t("staff.winbackSettings.rules.when")}</p>
      </div>
      {loaded.canEdit ? (
        <p className="field__hint" id="sla-hint">
          {t("staff.winbackSettings.rules.slaHint", SLA_HOURS)}
        </p>
      ) : null}
      {loaded.canEdit ? (
        <Form method="post" noValidate className="stack" key={JSON.stringify(loaded.rules)}>
          <input type="hidden" name="intent" value="rules" />
          <div className="rule-rows">
            {EXIT_REASONS.map((reason) => (
              <RuleRow
                key={reason}
                reason={reason}
                rule={loaded.rules[reason]}
                errors={errors}
                values={values}
              />
            ))}
          </div>
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.winbackSettings.rules.submit")}
            </button>
          </p>
        </Form>
      ) : (
        <div className="table-wrapper" role="region" aria-labelledby="regles" tabIndex={0}>
          <table className="table">
            <caption className="visually-hidden">{t("staff.winbackSettings.rules.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.winbackSettings.rules.colReason")}</th>
                <th scope="col">{t("staff.winbackSettings.rules.colRule")}</th>
              </tr>
            </thead>
            <tbody>
              {EXIT_REASONS.map((reason) => (
                <tr key={reason}>
                  <th scope="row">{t(`exitReason.${reason}`)}</th>
                  <td>{ruleText(loaded.rules[reason])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RuleRow(props: {
  reason: ExitReason;
  rule: RoutingRule;
  errors: FieldErrors;
  values: Record<string, string> | undefined;
}) {
  const { t } = useI18n();
  const ruleText = useRuleText();
  const { reason, rule } = props;
  const queueName = queueField(reason);
  const slaName = slaField(reason);
  const queueError = props.errors[queueName];
  const slaError = props.errors[slaName];
  const original = DEFAULT_ROUTING[reason];
  const isOriginal = original.queue === rule.queue && original.slaHours === rule.slaHours;
  const queueValue = props.values?.[queueName] ?? rule.queue ?? NO_QUEUE;
  const slaValue = props.values?.[slaName] ?? (rule.slaHours > 0 ? String(rule.slaHours) : "");
  return (
    <div className="rule-row" role="group" aria-labelledby={`rule-${reason}`}>
      <div className="rule-row__reason">
        <p id={`rule-${reason}`}>{t(`exitReason.${reason}`)}</p>
        {!isOriginal ? (
          <p className="field__hint">
            {t("staff.winbackSettings.rules.original", { rule: ruleText(original) })}
          </p>
        ) : null}
      </div>
      <div className={queueError ? "field field--error" : "field"}>
        <label className="field__label" htmlFor={queueName}>
          {t("staff.winbackSettings.rules.queueLabel")}
        </label>
        <ErrorText id={`${queueName}-error`} error={queueError} />
        <select
          className="select"
          id={queueName}
          name={queueName}
          defaultValue={queueValue}
          aria-invalid={queueError ? true : undefined}
          aria-describedby={queueError ? `${queueName}-error` : undefined}
        >
          {WINBACK_QUEUES.map((queue) => (
            <option key={queue} value={queue}>
              {t(`staff.winbackSettings.queue.${queue}`)}
            </option>
          ))}
          <option value={NO_QUEUE}>{t("staff.winbackSettings.queue.none")}</option>
        </select>
      </div>
      <div className={slaError ? "field field--error" : "field"}>
        <label className="field__label" htmlFor={slaName}>
          {t("staff.winbackSettings.rules.slaLabel")}
        </label>
        <ErrorText id={`${slaName}-error`} error={slaError} />
        <input
          className="input"
          id={slaName}
          name={slaName}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          defaultValue={slaValue}
          aria-invalid={slaError ? true : undefined}
          aria-describedby={["sla-hint", slaError ? `${slaName}-error` : ""]
            .filter(Boolean)
            .join(" ")}
        />
      </div>
    </div>
  );
}

function PolicySection({ loaded, busy, errors, values }: SectionProps) {
  const { t } = useI18n();
  const { policy } = loaded;
  return (
    <section className="stack" aria-labelledby="politique">
      <h2 id="politique">{t("staff.winbackSettings.policy.title")}</h2>
      <p>{t("staff.winbackSettings.policy.intro")}</p>
      {loaded.canEdit ? (
        <Form
          method="post"
          noValidate
          className="form settings-numbers"
          key={`${policy.maxAttempts}-${policy.maxAgeDays}`}
        >
          <input type="hidden" name="intent" value="policy" />
          <TextField
            name="maxAttempts"
            label={t("staff.winbackSettings.policy.maxAttempts")}
            hint={t("staff.winbackSettings.policy.maxAttemptsHint", MAX_ATTEMPTS)}
            inputMode="numeric"
            autoComplete="off"
            short
            defaultValue={values?.maxAttempts ?? String(policy.maxAttempts)}
            error={errors.maxAttempts}
          />
          <TextField
            name="maxAgeDays"
            label={t("staff.winbackSettings.policy.maxAgeDays")}
            hint={t("staff.winbackSettings.policy.maxAgeDaysHint", MAX_AGE_DAYS)}
            inputMode="numeric"
            autoComplete="off"
            short
            defaultValue={values?.maxAgeDays ?? String(policy.maxAgeDays)}
            error={errors.maxAgeDays}
          />
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.winbackSettings.policy.submit")}
            </button>
          </p>
        </Form>
      ) : (
        <dl className="summary-list">
          <dt>{t("staff.winbackSettings.policy.maxAttempts")}</dt>
          <dd>{policy.maxAttempts}</dd>
          <dt>{t("staff.winbackSettings.policy.maxAgeDays")}</dt>
          <dd>{policy.maxAgeDays}</dd>
        </dl>
      )}
      <ContactWindows timeZone={loaded.timeZone} />
    </section>
  );
}

function ContactWindows({ timeZone }: { timeZone: string }) {
  const { t } = useI18n();
  const hours = (ranges: readonly (readonly [number, number])[]) =>
    ranges
      .map(([from, to]) => t("staff.winbackSettings.windows.range", { from, to }))
      .join(t("staff.winbackSettings.windows.and"));
  return (
    <div className="stack stack--small">
      <h3 id="creneaux">{t("staff.winbackSettings.windows.title")}</h3>
      <p>{t("staff.winbackSettings.windows.intro", { zone: timeZone })}</p>
      <dl className="summary-list" aria-labelledby="creneaux">
        {CONTACT_WINDOWS.map((window) => (
          <Fragment key={window}>
            <dt>{t(`staff.winbackSettings.windows.${window}`)}</dt>
            <dd>{hours(CONTACT_WINDOW_HOURS[window])}</dd>
          </Fragment>
        ))}
      </dl>
      <p className="field__hint">{t("staff.winbackSettings.windows.days")}</p>
      <p className="field__hint">{t("staff.winbackSettings.windows.legal")}</p>
    </div>
  );
}

function OffersSection({
  loaded,
  busy,
  errors,
  values,
  addedKey,
}: SectionProps & { addedKey: string }) {
  const { t } = useI18n();
  return (
    <section className="stack" aria-labelledby="offres">
      <h2 id="offres">{t("staff.winbackSettings.offers.title")}</h2>
      <p>{t("staff.winbackSettings.offers.intro")}</p>
      {loaded.offers.length === 0 ? (
        <p className="muted">{t("staff.winbackSettings.offers.empty")}</p>
      ) : (
        // Cards rather than a table: on a phone every offer keeps its actions in view.
        <ul className="card-grid" role="list">
          {loaded.offers.map((offer) => {
            const toggle: MessageKey = offer.active
              ? "staff.winbackSettings.offers.deactivate"
              : "staff.winbackSettings.offers.reactivate";
            return (
              <li key={offer.id} className="card stack stack--small">
                <h3>{offer.name}</h3>
                <p className="cluster">
                  <span className="mono">{offer.code}</span>
                  {offer.active ? (
                    <span className="badge badge--success">
                      {t("staff.winbackSettings.offers.active")}
                    </span>
                  ) : (
                    <span className="badge">{t("staff.winbackSettings.offers.inactive")}</span>
                  )}
                </p>
                <p className="muted">{offer.description}</p>
                {loaded.canEdit ? (
                  <div className="cluster">
                    <Link
                      to={`/staff/reglages/reconquete/offres/${offer.id}`}
                      aria-label={`${t("staff.winbackSettings.offers.edit")} ${offer.code}`}
                    >
                      {t("staff.winbackSettings.offers.edit")}
                    </Link>
                    <Form method="post">
                      <input type="hidden" name="intent" value="offerActive" />
                      <input type="hidden" name="offerId" value={offer.id} />
                      <input type="hidden" name="active" value={String(!offer.active)} />
                      <button
                        type="submit"
                        className="button button--small"
                        disabled={busy}
                        aria-label={`${t(toggle)} ${offer.code}`}
                      >
                        {t(toggle)}
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {loaded.canEdit ? (
        <Form method="post" noValidate className="form card" key={addedKey}>
          <h3>{t("staff.winbackSettings.offers.addTitle")}</h3>
          <input type="hidden" name="intent" value="offer" />
          <TextField
            name="code"
            label={t("staff.winbackSettings.offers.code")}
            hint={t("staff.winbackSettings.offers.codeHint", { max: OFFER_CODE_MAX })}
            autoComplete="off"
            spellCheck={false}
            maxLength={OFFER_CODE_MAX}
            short
            defaultValue={values?.code}
            error={errors.code}
          />
          <OfferTextFields values={values ?? {}} errors={errors} />
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("staff.winbackSettings.offers.addSubmit")}
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}

function HistorySection({ loaded }: { loaded: Loaded }) {
  const { t, lang } = useI18n();
  const { entries, total } = loaded.history;
  return (
    <section className="stack" aria-labelledby="historique">
      <h2 id="historique">{t("staff.winbackSettings.history.title")}</h2>
      <p>{t("staff.winbackSettings.history.intro")}</p>
      {entries.length === 0 ? (
        <p className="muted">{t("staff.winbackSettings.history.empty")}</p>
      ) : (
        <div className="table-wrapper" role="region" aria-labelledby="historique" tabIndex={0}>
          <table className="table winback-history">
            <caption className="visually-hidden">
              {t("staff.winbackSettings.history.title")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.winbackSettings.history.colWhen")}</th>
                <th scope="col">{t("staff.winbackSettings.history.colWho")}</th>
                <th scope="col">{t("staff.winbackSettings.history.colWhat")}</th>
                <th scope="col">{t("staff.winbackSettings.history.colBefore")}</th>
                <th scope="col">{t("staff.winbackSettings.history.colAfter")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td className="nowrap">
                    {formatDate(entry.occurredAt, lang, {
                      dateStyle: "medium",
                      timeStyle: "short",
                      timeZone: loaded.timeZone,
                    })}
                  </td>
                  <td>{entry.actorName ?? t("staff.winbackSettings.history.system")}</td>
                  <ChangeCells change={entry.change} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > entries.length ? (
        <p className="field__hint">
          {t("staff.winbackSettings.history.more", { shown: entries.length, total })}
        </p>
      ) : null}
    </section>
  );
}

/** What changed, before and after, in words. */
function ChangeCells({ change }: { change: SettingsChange }) {
  const { t } = useI18n();
  const ruleText = useRuleText();
  const none = <span className="muted">—</span>;
  // On a phone the rows stack (.winback-history): the before and after values show their
  // column's name, drawn by the style sheet from data-label (screen readers read the headers).
  const cells = (what: ReactNode, before: ReactNode, after: ReactNode) => (
    <>
      <td className="winback-history__what">{what}</td>
      <td data-label={t("staff.winbackSettings.history.colBefore")}>{before}</td>
      <td data-label={t("staff.winbackSettings.history.colAfter")}>{after}</td>
    </>
  );
  switch (change.type) {
    case "winback.rule_changed": {
      const { data: d } = change;
      const reason = (EXIT_REASONS as readonly string[]).includes(d.reason)
        ? t(`exitReason.${d.reason as ExitReason}`)
        : d.reason;
      return cells(
        t("staff.winbackSettings.history.rule", { reason }),
        ruleText({ queue: d.previousQueue, slaHours: d.previousSlaHours }),
        ruleText({ queue: d.queue, slaHours: d.slaHours }),
      );
    }
    case "winback.policy_changed": {
      const { data: d } = change;
      return cells(
        t("staff.winbackSettings.history.policy"),
        t("staff.winbackSettings.history.policyValues", {
          attempts: d.previousMaxAttempts,
          days: d.previousMaxAgeDays,
        }),
        t("staff.winbackSettings.history.policyValues", {
          attempts: d.maxAttempts,
          days: d.maxAgeDays,
        }),
      );
    }
    case "winback.offer_changed": {
      const { data: d } = change;
      const what = t(`staff.winbackSettings.history.offer.${d.action}`, { code: d.code });
      if (d.action === "created")
        return cells(what, none, <OfferText name={d.name} description={d.description} />);
      if (d.action === "edited") {
        const nameChanged = d.previousName !== d.name;
        const descriptionChanged = d.previousDescription !== d.description;
        return cells(
          what,
          <OfferText
            name={nameChanged ? d.previousName : null}
            description={descriptionChanged ? d.previousDescription : null}
          />,
          <OfferText
            name={nameChanged ? d.name : null}
            description={descriptionChanged ? d.description : null}
          />,
        );
      }
      const state = (active: boolean | null) =>
        active === null
          ? none
          : t(
              active
                ? "staff.winbackSettings.offers.active"
                : "staff.winbackSettings.offers.inactive",
            );
      return cells(what, state(d.previousActive), state(d.active));
    }
  }
}

function OfferText({ name, description }: { name: string | null; description: string | null }) {
  const { t } = useI18n();
  return (
    <>
      {name !== null ? (
        <span className="history-value">
          {t("staff.winbackSettings.history.offerName", { name })}
        </span>
      ) : null}
      {description !== null ? (
        <span className="history-value muted">
          {t("staff.winbackSettings.history.offerDescription", { description })}
        </span>
      ) : null}
    </>
  );
}
