import { Form, useNavigation } from "@remix-run/react";
import { Choice, ChoiceGroup, type FieldErrors } from "~/components/form";
import { formatDate, formatDateTime, formatMoney, type MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import type { CaseRefundView, CaseReturnView } from "~/services/returns/load-case-return.server";

// The case page's live view of the equipment return (items one by one, label, method, carrier
// tracking) and of the refunds (amount, legal deadline, status, the deposit statement).

const RETURN_BADGE: Record<string, string> = {
  awaiting_shipment: "badge badge--info",
  in_transit: "badge badge--info",
  received: "badge badge--warning",
  inspected: "badge badge--success",
  overdue: "badge badge--danger",
  charged: "badge badge--danger",
  cancelled: "badge",
};

const REFUND_BADGE: Record<string, string> = {
  scheduled: "badge badge--info",
  due: "badge badge--warning",
  issued: "badge badge--success",
  failed: "badge badge--danger",
  withheld: "badge",
  cancelled: "badge",
};

function ItemState({
  item,
  timeZone,
}: {
  item: CaseReturnView["items"][number];
  timeZone: string;
}) {
  const { t, lang } = useI18n();
  if (item.receivedAt !== null)
    return (
      <>
        {t("returnTrack.itemReceived", { date: formatDateTime(item.receivedAt, lang, timeZone) })}
        {item.condition === "damaged"
          ? t("returnTrack.conditionDamaged")
          : t("returnTrack.conditionOk")}
      </>
    );
  if (item.chargeCents > 0)
    return (
      <>
        {t("returnTrack.itemCharged", {
          amount: formatMoney(item.chargeCents, item.currency, lang),
        })}
      </>
    );
  return (
    <>
      {item.condition === "missing" ? `${t("returnTrack.itemMissingInParcel")} ` : null}
      {t("returnTrack.itemExpected", {
        amount: formatMoney(item.nonReturnChargeCents, item.currency, lang),
      })}
    </>
  );
}

export function ReturnTracking({
  view,
  labelPath,
  timeZone,
  errors,
  saved,
}: {
  view: CaseReturnView;
  labelPath: string;
  timeZone: string;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { t, lang } = useI18n();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const open = view.status !== "cancelled";
  return (
    <section className="card stack" aria-labelledby="return-title">
      <h2 id="return-title">{t("returnTrack.title")}</h2>
      <dl className="summary-list">
        <div>
          <dt>{t("returnTrack.number")}</dt>
          <dd className="mono">{view.returnNumber}</dd>
        </div>
        <div>
          <dt>{t("returnTrack.statusLabel")}</dt>
          <dd>
            <span className={RETURN_BADGE[view.status]}>
              {t(`returnTrack.status.${view.status}` as MessageKey)}
            </span>
          </dd>
        </div>
        {open ? (
          <div>
            <dt>{t("returnTrack.deadlineLabel")}</dt>
            <dd>{formatDate(view.deadline, lang)}</dd>
          </div>
        ) : null}
      </dl>

      <div className="table-wrapper">
        <table className="table">
          <caption className="visually-hidden">{t("returnTrack.itemsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("returnTrack.colItem")}</th>
              <th scope="col">{t("returnTrack.colState")}</th>
            </tr>
          </thead>
          <tbody>
            {view.items.map((item) => (
              <tr key={item.equipmentId}>
                <th scope="row">
                  {t(`equipment.${item.kind}` as MessageKey)}{" "}
                  <span className="muted">
                    {item.model}
                    {item.serial ? ` · ${item.serial}` : ""}
                  </span>
                </th>
                <td>
                  <ItemState item={item} timeZone={timeZone} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {open ? (
        <>
          <div className="stack stack--small">
            <h3>{t("returnTrack.labelTitle")}</h3>
            <p>{t("returnTrack.labelHint")}</p>
            <p className="muted">{t("equipment.address", { address: view.returnAddress })}</p>
            <p>
              <a className="button button--secondary" href={labelPath} download>
                {t("returnTrack.labelDownload")}
              </a>
            </p>
          </div>

          <div className="stack stack--small" id="mode-de-retour">
            <h3>{t("returnTrack.methodTitle")}</h3>
            {saved ? (
              <div className="notice notice--success" role="status">
                <p>{t("returnTrack.methodSaved")}</p>
              </div>
            ) : null}
            <p>
              {view.method === null
                ? t("returnTrack.methodNone")
                : t("returnTrack.methodCurrent", {
                    method: t(`returnMethod.${view.method}` as MessageKey),
                  })}
              {view.method === "courier_pickup" && view.pickupDate && view.pickupSlot
                ? ` ${t("returnTrack.pickupOn", {
                    date: formatDate(view.pickupDate, lang, { dateStyle: "full" }),
                    slot: t(`returnTrack.slot.${view.pickupSlot}` as MessageKey),
                  })}`
                : null}
            </p>
            {view.canChooseMethod ? (
              <Form method="post" className="stack stack--small" noValidate>
                <input type="hidden" name="intent" value="method" />
                <ChoiceGroup
                  name="method"
                  legend={t("returnTrack.methodLegend")}
                  error={errors.method}
                >
                  {view.methods.map((method) => (
                    <Choice
                      key={method}
                      type="radio"
                      name="method"
                      value={method}
                      id={`method-${method}`}
                      label={t(`returnMethod.${method}` as MessageKey)}
                      hint={t(`returnTrack.methodHint.${method}` as MessageKey)}
                      defaultChecked={view.method === method}
                    />
                  ))}
                </ChoiceGroup>
                {view.methods.includes("courier_pickup") ? (
                  <fieldset className="stack stack--small">
                    <legend>{t("returnTrack.pickupLegend")}</legend>
                    <div className={errors.pickupDate ? "field field--error" : "field"}>
                      <label htmlFor="pickupDate">{t("returnTrack.pickupDate")}</label>
                      {errors.pickupDate ? (
                        <p className="field__error" id="pickupDate-error">
                          {t(errors.pickupDate)}
                        </p>
                      ) : null}
                      <select
                        id="pickupDate"
                        name="pickupDate"
                        defaultValue={view.pickupDate ?? ""}
                        aria-describedby={errors.pickupDate ? "pickupDate-error" : undefined}
                      >
                        <option value="">{t("returnTrack.pickupDateNone")}</option>
                        {view.pickupDates.map((date) => (
                          <option key={date} value={date}>
                            {formatDate(date, lang, { dateStyle: "full" })}
                          </option>
                        ))}
                      </select>
                    </div>
                    <ChoiceGroup
                      name="pickupSlot"
                      legend={t("returnTrack.pickupSlot")}
                      error={errors.pickupSlot}
                    >
                      {(["morning", "afternoon"] as const).map((slot) => (
                        <Choice
                          key={slot}
                          type="radio"
                          name="pickupSlot"
                          value={slot}
                          id={`slot-${slot}`}
                          label={t(`returnTrack.slot.${slot}` as MessageKey)}
                          defaultChecked={view.pickupSlot === slot}
                        />
                      ))}
                    </ChoiceGroup>
                  </fieldset>
                ) : null}
                <p>
                  <button className="button" type="submit" disabled={busy}>
                    {t("returnTrack.methodSubmit")}
                  </button>
                </p>
              </Form>
            ) : (
              <p className="muted">{t("returnTrack.methodLocked")}</p>
            )}
          </div>
        </>
      ) : null}

      <div className="stack stack--small">
        <h3>{t("returnTrack.trackingTitle")}</h3>
        {view.carrierEvents.length === 0 ? (
          <p className="muted">{t("returnTrack.trackingNone")}</p>
        ) : (
          <ol className="list">
            {view.carrierEvents.map((event, index) => (
              <li key={`${event.occurredAt}-${index}`}>
                <time dateTime={event.occurredAt}>
                  {formatDateTime(event.occurredAt, lang, timeZone)}
                </time>
                {t("punctuation.colon")}
                {t(`carrierEvent.${event.kind}` as MessageKey)}
                {event.carrier || event.location
                  ? ` (${[event.carrier, event.location].filter(Boolean).join(", ")})`
                  : null}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

export function RefundTracking({
  refunds,
  timeZone,
}: {
  refunds: CaseRefundView[];
  timeZone: string;
}) {
  const { t, lang } = useI18n();
  const money = (cents: number, currency: string) => formatMoney(cents, currency, lang);
  return (
    <section className="card stack" aria-labelledby="refunds-title">
      <h2 id="refunds-title">{t("refundTrack.title")}</h2>
      {refunds.length === 0 ? (
        <p>{t("refund.none")}</p>
      ) : (
        <ul className="list stack">
          {refunds.map((refund) => (
            <li key={refund.id} className="stack stack--small">
              <p>
                <strong>{t(`refund.${refund.kind}` as MessageKey)}</strong>{" "}
                {money(refund.netCents, refund.currency)}{" "}
                <span className={REFUND_BADGE[refund.status]}>
                  {t(`refundTrack.status.${refund.status}` as MessageKey)}
                </span>
              </p>
              {refund.offsetCents > 0 ? (
                <p>
                  {t("refundTrack.statement", {
                    deposit: money(refund.amountCents, refund.currency),
                    charges: money(refund.offsetCents, refund.currency),
                    net: money(refund.netCents, refund.currency),
                  })}
                  {refund.remainingChargeCents > 0
                    ? ` ${t("refundTrack.remaining", { amount: money(refund.remainingChargeCents, refund.currency) })}`
                    : null}
                </p>
              ) : null}
              <p className="muted">
                {refund.status === "issued" && refund.issuedAt
                  ? t("refundTrack.issuedOn", {
                      date: formatDate(refund.issuedAt, lang, { dateStyle: "long", timeZone }),
                      reference: refund.paymentReference ?? "",
                    })
                  : refund.status === "withheld" && refund.netCents === 0
                    ? t("refundTrack.withheldCharged")
                    : refund.status === "cancelled"
                      ? t("refundTrack.cancelled")
                      : refund.legalDueDate
                        ? t("refundTrack.deadline", { date: formatDate(refund.legalDueDate, lang) })
                        : t(
                            refund.kind === "deposit"
                              ? "refundTrack.waitingEquipment"
                              : "refundTrack.waitingInvoice",
                          )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
