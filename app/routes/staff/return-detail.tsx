import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS, canView } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, TextField, type FieldErrors } from "~/components/form";
import { ReturnStatusBadge, STAFF_TIME_ZONE } from "~/components/staff-frame";
import { dateInZone, localDateTimeInZone } from "~/domain/dates";
import { CARRIER_EVENT_KINDS, ITEM_CONDITIONS, PICKUP_SLOTS } from "~/domain/enums";
import { detectProofType, PROOF_MAX_BYTES, type ProofType } from "~/domain/proof";
import { canReceive, isOpenReturn, isPastDeadline } from "~/domain/returns";
import { formatDate, formatDateTime, formatMoney, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { recordCarrierEvent } from "~/services/returns/record-carrier-event.server";
import { receiveItems, type ItemReceptionInput } from "~/services/returns/receive-items.server";
import { recordCaseView } from "~/services/staff/load-staff-case.server";
import { loadStaffReturn } from "~/services/staff/load-staff-return.server";
import { ReceptionSchema, carrierEventSchema } from "./schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.return.metaTitle", {
        operator: operatorName,
        number: loaded?.ret.returnNumber ?? "",
      }),
    },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.returnDetail);
  const { db, requestMeta } = args.context;
  const typed = args.params.returnNumber ?? "";
  const found = await loadStaffReturn(db, typed);
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { equipmentReturn: ret } = found;
  // `rt-7k3m9qpd` typed in the address bar: one canonical address per return.
  if (ret.returnNumber !== typed)
    throw redirect(`/staff/retours/${ret.returnNumber}${new URL(args.request.url).search}`);
  await recordCaseView(db, { caseId: found.case.id, staff, view: "return", meta: requestMeta });
  const now = new Date();
  return {
    ret: {
      returnNumber: ret.returnNumber,
      status: ret.status,
      method: ret.method,
      pickupDate: ret.pickupDate,
      pickupSlot: PICKUP_SLOTS.find((slot) => slot === ret.pickupSlot) ?? null,
      deadline: ret.deadline,
      receivedAt: ret.receivedAt,
    },
    case: found.case,
    subscriber: found.subscriber,
    items: found.items,
    carrierEvents: found.carrierEvents,
    today: dateInZone(now, STAFF_TIME_ZONE),
    nowLocal: localDateTimeInZone(now, STAFF_TIME_ZONE),
    canAct: (STAFF_ACCESS.returnDetail.act as readonly string[]).includes(staff.staff.role),
    canDownload: canView(staff.staff.role, "caseDocument"),
  };
}

type ReadForm = { form: FormData } | { tooLarge: string };

/** The reception form carries photos (multipart); the carrier event form is a plain form. */
async function readForm(request: Request): Promise<ReadForm> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    return { form: await request.formData() };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: PROOF_MAX_BYTES }),
    );
    return { form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { tooLarge: error.field };
    throw error;
  }
}

const PHOTO_TYPES: readonly ProofType["contentType"][] = ["image/jpeg", "image/png"];

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.returnDetail);
  const { db, jobs, requestMeta } = args.context;
  const found = await loadStaffReturn(db, args.params.returnNumber ?? "");
  if (!found) throw data({ reason: "not_found" }, { status: 404 });
  const { returnNumber } = found.equipmentReturn;
  const read = await readForm(args.request);
  const reply = (
    status: number,
    fields: { intent: string; errors?: FieldErrors; problem?: MessageKey | null },
    values: {
      ticked?: string[];
      conditions?: Record<string, string>;
      event?: Record<string, string>;
    } = {},
  ) =>
    data(
      { errors: {} as FieldErrors, problem: null as MessageKey | null, ...fields, ...values },
      { status },
    );

  if ("tooLarge" in read) {
    const field = read.tooLarge.startsWith("photo-") ? read.tooLarge : "items";
    return reply(413, {
      intent: "receive",
      errors: { [field]: "staff.return.error.photoTooLarge" },
    });
  }
  const { form } = read;
  const intent = String(form.get("intent") ?? "");

  if (intent === "receive") {
    const ticked = [...new Set(form.getAll("items").map(String))];
    const conditions = Object.fromEntries(
      ticked.map((id) => [id, String(form.get(`condition-${id}`) ?? "")]),
    );
    const values = { ticked, conditions };
    const parsed = ReceptionSchema.safeParse({
      items: ticked.map((equipmentId) => ({
        equipmentId,
        condition: form.get(`condition-${equipmentId}`),
      })),
    });
    if (!parsed.success) return reply(400, { intent, errors: fieldErrors(parsed.error) }, values);
    const errors: FieldErrors = {};
    const items: ItemReceptionInput[] = [];
    for (const item of parsed.data.items) {
      const file = form.get(`photo-${item.equipmentId}`);
      let photo: ItemReceptionInput["photo"] = null;
      if (file instanceof File && file.size > 0) {
        const bytes = Buffer.from(await file.arrayBuffer());
        const type = detectProofType(bytes);
        if (bytes.length > PROOF_MAX_BYTES)
          errors[`photo-${item.equipmentId}`] = "staff.return.error.photoTooLarge";
        else if (type === null || !PHOTO_TYPES.includes(type.contentType))
          errors[`photo-${item.equipmentId}`] = "staff.return.error.photoType";
        else photo = { bytes, type };
      }
      items.push({ ...item, photo });
    }
    if (Object.keys(errors).length > 0) return reply(400, { intent, errors }, values);
    const result = await receiveItems(
      { db, jobs },
      { returnId: found.equipmentReturn.id, items, actor: staff.actor, meta: requestMeta },
    );
    switch (result.kind) {
      case "received":
        throw redirect(`/staff/retours/${returnNumber}?recu=1`, 303);
      case "return_closed":
        return reply(409, { intent, problem: "staff.return.closed" });
      case "unknown_item":
        return reply(409, { intent, problem: "staff.return.unknownItem" }, values);
      case "already_received":
        return reply(409, { intent, problem: "staff.return.alreadyReceived" });
    }
  }

  if (intent === "carrier") {
    const event = textValues(form, ["kind", "occurredAt", "carrier", "trackingNumber", "location"]);
    const parsed = carrierEventSchema(STAFF_TIME_ZONE, new Date()).safeParse(event);
    if (!parsed.success)
      return reply(400, { intent, errors: fieldErrors(parsed.error) }, { event });
    const result = await recordCarrierEvent(
      db,
      { returnNumber, ...parsed.data, externalId: null, source: "manual" },
      staff.actor,
      requestMeta,
    );
    switch (result.kind) {
      case "recorded":
        throw redirect(`/staff/retours/${returnNumber}?evenement=1`, 303);
      case "unknown_return":
        throw data({ reason: "not_found" }, { status: 404 });
      case "duplicate":
        return reply(409, { intent, problem: "staff.return.duplicateEvent" }, { event });
      case "return_closed":
        return reply(409, { intent, problem: "staff.return.eventClosed" }, { event });
    }
  }
  return reply(400, { intent, problem: "staff.error.unknownAction" });
}

export default function StaffReturnDetail() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { ret, items } = loaded;
  const errors: FieldErrors = actionData?.errors ?? {};
  // With JavaScript the page does not scroll after a refused submission: bring its problems
  // into view (the error summary takes focus, as GOV.UK's does).
  const feedbackRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!actionData) return;
    const summary = feedbackRef.current?.querySelector<HTMLElement>(".error-summary");
    if (summary) summary.focus();
    else feedbackRef.current?.scrollIntoView({ block: "center" });
  }, [actionData]);
  // Problems show above the form that was sent: the two forms sit far apart on the page.
  const feedback = (intent: "receive" | "carrier") =>
    (actionData?.intent === "carrier") === (intent === "carrier") ? (
      <div ref={feedbackRef}>
        <ErrorSummary errors={errors} />
        <FormAlert message={actionData?.problem ? t(actionData.problem) : null} />
      </div>
    ) : null;
  const ticked = actionData && "ticked" in actionData ? (actionData.ticked ?? []) : [];
  const conditions = actionData && "conditions" in actionData ? (actionData.conditions ?? {}) : {};
  const event = actionData && "event" in actionData ? (actionData.event ?? {}) : {};
  const [params] = useSearchParams();
  const when = (value: string | Date) => formatDateTime(value, lang, STAFF_TIME_ZONE);
  const itemName = (item: (typeof items)[number]) => `${t(`equipment.${item.kind}`)} ${item.model}`;
  const pending = items.filter((item) => item.receivedAt === null);
  const receivable = canReceive(ret.status);
  const late = isOpenReturn(ret.status) && isPastDeadline(ret.deadline, loaded.today);
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/retours">{t("staff.return.back")}</Link>
      </p>
      <div className="stack stack--small">
        <h1>
          {t("staff.return.title")} <span className="mono">{ret.returnNumber}</span>
        </h1>
        <p className="cluster">
          <ReturnStatusBadge status={ret.status} />
          {late ? (
            <span className="badge badge--danger">{t("staff.returns.pastDeadline")}</span>
          ) : null}
        </p>
      </div>
      {params.get("recu") ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.return.receivedFlash")}</p>
        </div>
      ) : null}
      {params.get("evenement") ? (
        <div className="notice notice--success" role="status">
          <p>{t("staff.return.eventFlash")}</p>
        </div>
      ) : null}

      <section className="card stack stack--small" aria-labelledby="return-facts">
        <h2 id="return-facts">{t("staff.return.facts")}</h2>
        <dl className="summary-list">
          <dt>{t("staff.return.case")}</dt>
          <dd>
            <Link to={`/staff/dossiers/${loaded.case.id}`} className="mono">
              {loaded.case.reference}
            </Link>
          </dd>
          <dt>{t("staff.return.subscriber")}</dt>
          <dd>
            {loaded.subscriber.firstName} {loaded.subscriber.lastName}
          </dd>
          <dt>{t("staff.return.method")}</dt>
          <dd>
            {ret.method ? t(`returnMethod.${ret.method}`) : t("staff.returns.noMethod")}
            {ret.method === "courier_pickup" && ret.pickupDate
              ? ` — ${t("staff.return.pickup", {
                  date: formatDate(ret.pickupDate, lang),
                  slot: ret.pickupSlot ? t(`staff.return.slot.${ret.pickupSlot}`) : "",
                })}`
              : ""}
          </dd>
          <dt>{t("staff.return.deadline")}</dt>
          <dd>{formatDate(ret.deadline, lang)}</dd>
          {ret.receivedAt ? (
            <>
              <dt>{t("staff.return.firstReceived")}</dt>
              <dd>{when(ret.receivedAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="stack" aria-labelledby="return-items">
        <h2 id="return-items">{t("staff.return.items")}</h2>
        {/* Focusable: at 375 px the table scrolls sideways, also from the keyboard. */}
        <div className="table-wrapper" tabIndex={0} role="region" aria-labelledby="return-items">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("staff.return.colKind")}</th>
                <th scope="col">{t("staff.return.colModel")}</th>
                <th scope="col">{t("staff.return.colSerial")}</th>
                <th scope="col">{t("staff.return.colState")}</th>
                <th scope="col">{t("staff.return.colPhoto")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{t(`equipment.${item.kind}`)}</td>
                  <td>{item.model}</td>
                  <td className="mono">{item.serial ?? "—"}</td>
                  <td>
                    {item.receivedAt ? (
                      <>
                        {t("staff.return.receivedOn", { when: when(item.receivedAt) })}{" "}
                        <span
                          className={`badge badge--${item.condition === "damaged" ? "warning" : "success"}`}
                        >
                          {t(`staff.condition.${item.condition === "damaged" ? "damaged" : "ok"}`)}
                        </span>
                      </>
                    ) : item.chargeCents > 0 ? (
                      <span className="badge badge--danger">
                        {t("staff.return.charged", {
                          amount: formatMoney(item.chargeCents, item.currency, lang),
                        })}
                      </span>
                    ) : (
                      <>
                        {t("staff.return.expected")}
                        {item.condition === "missing" ? (
                          <>
                            {" "}
                            <span className="badge badge--warning">
                              {t("staff.return.missingFromParcel")}
                            </span>
                          </>
                        ) : null}
                      </>
                    )}
                  </td>
                  <td>
                    {item.photoDocumentId && loaded.canDownload ? (
                      <a
                        href={`/staff/dossiers/${loaded.case.id}/documents/${item.photoDocumentId}`}
                        download
                      >
                        {t("staff.return.photoLink")}
                        <span className="visually-hidden"> — {itemName(item)}</span>
                      </a>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="stack" aria-labelledby="return-reception">
        <h2 id="return-reception">{t("staff.return.receptionTitle")}</h2>
        {feedback("receive")}
        {!receivable ? (
          <p className="muted">
            {t("staff.return.notReceivable", { status: t(`staff.returnStatus.${ret.status}`) })}
          </p>
        ) : pending.length === 0 ? (
          <p className="muted">{t("staff.return.allBack")}</p>
        ) : !loaded.canAct ? (
          <p className="muted">{t("staff.return.readOnly")}</p>
        ) : (
          <Form method="post" encType="multipart/form-data" className="stack" noValidate>
            <input type="hidden" name="intent" value="receive" />
            <p className="muted">{t("staff.return.receptionHint")}</p>
            <fieldset
              className={errors.items ? "field field--error" : "field"}
              id="items"
              aria-describedby={errors.items ? "items-error" : undefined}
            >
              <legend>{t("staff.return.parcelLegend")}</legend>
              {errors.items ? (
                <p className="field__error" id="items-error">
                  <span className="visually-hidden">{t("form.errorPrefix")} </span>
                  {t(errors.items)}
                </p>
              ) : null}
              <ul className="reception-items" role="list">
                {pending.map((item) => {
                  const id = item.equipmentId;
                  const photoError = errors[`photo-${id}`];
                  const condition = conditions[id] ?? "ok";
                  return (
                    <li key={id} className="card stack stack--small">
                      <div className="choice">
                        <input
                          type="checkbox"
                          name="items"
                          value={id}
                          id={`item-${id}`}
                          defaultChecked={ticked.includes(id)}
                        />
                        <label htmlFor={`item-${id}`}>
                          <strong>{itemName(item)}</strong>
                          {item.serial ? (
                            <>
                              {" "}
                              <span className="mono">{item.serial}</span>
                            </>
                          ) : null}{" "}
                          — {t("staff.return.inParcel")}
                        </label>
                      </div>
                      <fieldset className="field">
                        <legend>
                          {t("staff.return.conditionLegend")}
                          <span className="visually-hidden"> — {itemName(item)}</span>
                        </legend>
                        <div className="choices choices--inline">
                          {ITEM_CONDITIONS.map((value) => (
                            <div className="choice" key={value}>
                              <input
                                type="radio"
                                name={`condition-${id}`}
                                value={value}
                                id={`condition-${id}-${value}`}
                                defaultChecked={condition === value}
                              />
                              <label htmlFor={`condition-${id}-${value}`}>
                                {t(`staff.condition.${value}`)}
                              </label>
                            </div>
                          ))}
                        </div>
                      </fieldset>
                      <div className={photoError ? "field field--error" : "field"}>
                        <label className="field__label" htmlFor={`photo-${id}`}>
                          {t("staff.return.photoLabel")}
                          <span className="visually-hidden"> — {itemName(item)}</span>
                        </label>
                        <p className="field__hint" id={`photo-${id}-hint`}>
                          {t("staff.return.photoHint")}
                        </p>
                        {photoError ? (
                          <p className="field__error" id={`photo-${id}-error`}>
                            <span className="visually-hidden">{t("form.errorPrefix")} </span>
                            {t(photoError)}
                          </p>
                        ) : null}
                        <input
                          type="file"
                          id={`photo-${id}`}
                          name={`photo-${id}`}
                          accept="image/jpeg,image/png"
                          aria-invalid={photoError ? true : undefined}
                          aria-describedby={
                            photoError ? `photo-${id}-hint photo-${id}-error` : `photo-${id}-hint`
                          }
                        />
                      </div>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
            <p>
              <button type="submit" className="button button--primary" disabled={busy}>
                {t("staff.return.receiveSubmit")}
              </button>
            </p>
          </Form>
        )}
      </section>

      <section className="stack" aria-labelledby="return-events">
        <h2 id="return-events">{t("staff.return.eventsTitle")}</h2>
        {loaded.carrierEvents.length === 0 ? (
          <p className="muted">{t("staff.return.noEvents")}</p>
        ) : (
          <div className="table-wrapper" tabIndex={0} role="region" aria-labelledby="return-events">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.return.colTime")}</th>
                  <th scope="col">{t("staff.return.colEvent")}</th>
                  <th scope="col">{t("staff.return.colCarrier")}</th>
                  <th scope="col">{t("staff.return.colTracking")}</th>
                  <th scope="col">{t("staff.return.colLocation")}</th>
                  <th scope="col">{t("staff.return.colSource")}</th>
                </tr>
              </thead>
              <tbody>
                {loaded.carrierEvents.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <time dateTime={new Date(row.occurredAt).toISOString()}>
                        {when(row.occurredAt)}
                      </time>
                    </td>
                    <td>{t(`staff.carrierEvent.${row.kind}`)}</td>
                    <td>{row.carrier ?? "—"}</td>
                    <td className="mono">{row.trackingNumber ?? "—"}</td>
                    <td>{row.location ?? "—"}</td>
                    <td>{t(`staff.eventSource.${row.source}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {loaded.canAct && ret.status !== "cancelled" ? (
          <Form method="post" className="form" noValidate aria-labelledby="return-event-form">
            <h3 id="return-event-form">{t("staff.return.eventFormTitle")}</h3>
            {feedback("carrier")}
            <input type="hidden" name="intent" value="carrier" />
            <div className={errors.kind ? "field field--error" : "field"}>
              <label className="field__label" htmlFor="kind">
                {t("staff.return.eventKind")}
              </label>
              {errors.kind ? (
                <p className="field__error" id="kind-error">
                  <span className="visually-hidden">{t("form.errorPrefix")} </span>
                  {t(errors.kind)}
                </p>
              ) : null}
              <select
                className="select"
                id="kind"
                name="kind"
                defaultValue={event.kind ?? "delivered"}
                aria-invalid={errors.kind ? true : undefined}
                aria-describedby={errors.kind ? "kind-error" : undefined}
              >
                {CARRIER_EVENT_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`staff.carrierEvent.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              name="occurredAt"
              type="datetime-local"
              label={t("staff.return.eventTime")}
              hint={t("staff.return.eventTimeHint")}
              error={errors.occurredAt}
              defaultValue={event.occurredAt ?? loaded.nowLocal}
              max={loaded.nowLocal}
              short
            />
            <TextField
              name="carrier"
              label={t("staff.return.eventCarrier")}
              error={errors.carrier}
              defaultValue={event.carrier}
              maxLength={60}
              autoComplete="off"
            />
            <TextField
              name="trackingNumber"
              label={t("staff.return.eventTracking")}
              error={errors.trackingNumber}
              defaultValue={event.trackingNumber}
              maxLength={60}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              name="location"
              label={t("staff.return.eventLocation")}
              error={errors.location}
              defaultValue={event.location}
              maxLength={120}
              autoComplete="off"
            />
            <p>
              <button type="submit" className="button" disabled={busy}>
                {t("staff.return.eventSubmit")}
              </button>
            </p>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
