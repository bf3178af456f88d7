import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FeeDetails, RefundDetails, ReturnDetails } from "~/components/consequences";
import { formatPhoneNumber } from "~/domain/identification";
import {
  Choice,
  ChoiceGroup,
  ErrorSummary,
  FormAlert,
  TextField,
  type FieldErrors,
} from "~/components/form";
import { PublicPage } from "~/components/public-page";
import type { EndDateChoice } from "~/domain/cancellation-summary";
import { detectProofType, PROOF_MAX_BYTES } from "~/domain/proof";
import { formatDate, translate, type MessageKey } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { notifyCancellation } from "~/services/notify-cancellation.server";
import { prepareSummary } from "~/services/prepare-summary.server";
import { fieldErrors } from "./form-data";
import { readJourney, type Journey } from "./journey-session.server";
import { SummaryFormSchema, summaryFormInput } from "./summary-schema";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "summary.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

interface FormValues {
  contractIds: string[];
  endDateMode: "earliest" | "date";
  endDate: string;
  terminationType: "ordinary" | "legitimate_reason";
  legitimateReason: string;
  email: string;
}

function endDateChoice(values: Pick<FormValues, "endDateMode" | "endDate">): EndDateChoice {
  return values.endDateMode === "date" && values.endDate !== ""
    ? { kind: "date", date: values.endDate }
    : { kind: "earliest" };
}

async function view(
  request: Request,
  context: ActionFunctionArgs["context"],
  journey: Journey,
  values: FormValues,
) {
  const prepared = await prepareSummary(context.db, {
    subscriberId: journey.subscriberId!,
    contractIds: journey.contractIds,
    endDate: endDateChoice(values),
    legitimateReason: values.terminationType === "legitimate_reason",
  });
  if (prepared === null) throw redirect("/resilier");
  return { prepared, values, lang: resolveLang(request).lang };
}

function initialValues(journey: Journey, availableIds: string[]): FormValues {
  const preselected = journey.preselected.filter((id) => availableIds.includes(id));
  return {
    contractIds:
      preselected.length > 0 ? preselected : availableIds.length === 1 ? availableIds : [],
    endDateMode: "earliest",
    endDate: "",
    terminationType: "ordinary",
    legitimateReason: "",
    email: journey.email ?? "",
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const handle = await readJourney(request, context);
  const { journey } = handle;
  if (journey.subscriberId === undefined) throw redirect("/resilier");
  if (journey.caseId !== undefined) throw redirect("/resilier/accuse");
  const first = await view(request, context, journey, initialValues(journey, []));
  // Germany's contracts have their own one-page form (§ 312k BGB).
  if (first.prepared.journey === "single_page") throw redirect("/kuendigen");
  const availableIds = first.prepared.candidates
    .filter((candidate) => candidate.openCase === null)
    .map((candidate) => candidate.id);
  const values = initialValues(journey, availableIds);
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (journey.summaryShownAt === undefined)
    headers.set(
      "Set-Cookie",
      await handle.save({ ...journey, summaryShownAt: new Date().toISOString() }),
    );
  return data(
    { ...first, values, errors: {} as FieldErrors, problem: null as ProblemView | null },
    { headers },
  );
}

type ProblemView = { key: MessageKey; params?: Record<string, string> };

async function readForm(request: Request): Promise<{ form: FormData } | { tooLarge: true }> {
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: PROOF_MAX_BYTES }),
    );
    return { form };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { tooLarge: true };
    throw error;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const handle = await readJourney(request, context);
  const { journey } = handle;
  if (journey.subscriberId === undefined) throw redirect("/resilier");
  const isMultipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  const read = isMultipart ? await readForm(request) : { form: await request.formData() };
  const form = "form" in read ? read.form : new FormData();
  const input = summaryFormInput(form);
  const parsed = SummaryFormSchema.safeParse(input);
  const raw: FormValues = {
    contractIds: (input.contractIds as string[]) ?? [],
    endDateMode: input.endDateMode === "date" ? "date" : "earliest",
    endDate: String(input.endDate ?? ""),
    terminationType:
      input.terminationType === "legitimate_reason" ? "legitimate_reason" : "ordinary",
    legitimateReason: String(input.legitimateReason ?? ""),
    email: String(input.email ?? ""),
  };
  const again = async (status: number, errors: FieldErrors, problem: ProblemView | null) =>
    data(
      { ...(await view(request, context, journey, raw)), errors, problem },
      { status, headers: { "Cache-Control": "no-store" } },
    );

  if ("tooLarge" in read) return again(413, { proof: "summary.error.proofTooLarge" }, null);
  if (!parsed.success) {
    // "Update" only recomputes: its field errors are shown, but the request itself succeeded.
    return again(input.intent === "update" ? 200 : 400, fieldErrors(parsed.error), null);
  }
  const values = parsed.data;
  const current = await view(request, context, journey, raw);
  if (values.intent === "update")
    return data(
      { ...current, errors: {} as FieldErrors, problem: null },
      { headers: { "Cache-Control": "no-store" } },
    );

  // The subscriber must have seen what they notify: a changed date or type shows the summary again.
  const summary = current.prepared.summary;
  if (summary?.endDateError)
    return again(400, { endDate: `summary.error.${summary.endDateError}` as MessageKey }, null);
  if (
    summary &&
    (values.shownEndDate !== summary.endDate || values.shownType !== values.terminationType)
  ) {
    return again(200, {}, { key: "summary.updatedCheckAgain" });
  }

  let proof: { bytes: Buffer; type: NonNullable<ReturnType<typeof detectProofType>> } | null = null;
  const file = form.get("proof");
  if (values.terminationType === "legitimate_reason" && file instanceof File && file.size > 0) {
    const bytes = Buffer.from(await file.arrayBuffer());
    const type = detectProofType(bytes);
    if (type === null) return again(400, { proof: "summary.error.proofType" }, null);
    proof = { bytes, type };
  }

  const result = await notifyCancellation(
    { db: context.db, jobs: context.jobs, secret: context.env.SESSION_SECRET },
    {
      subscriberId: journey.subscriberId,
      contractIds: values.contractIds.filter((id) => journey.contractIds.includes(id)),
      acknowledgmentEmail: values.email,
      endDate: endDateChoice(values),
      legitimateReason:
        values.terminationType === "legitimate_reason" ? values.legitimateReason : null,
      proof,
      idempotencyKey: journey.key,
      language: current.lang,
      identifiedAt: new Date(journey.identifiedAt ?? Date.now()),
      summaryShownAt: new Date(journey.summaryShownAt ?? Date.now()),
      meta: context.requestMeta,
    },
  );
  switch (result.kind) {
    case "notified": {
      const cookie = await handle.save({
        ...journey,
        caseId: result.caseId,
        caseToken: result.token,
      });
      throw redirect("/resilier/accuse", { status: 303, headers: { "Set-Cookie": cookie } });
    }
    case "already_open":
      return again(
        409,
        {},
        {
          key: "summary.alreadyOpen",
          params: {
            reference: result.reference,
            date: formatDate(result.effectiveEndDate, current.lang),
          },
        },
      );
    case "invalid_end_date":
      return again(
        400,
        { endDate: `summary.error.${result.summary.endDateError ?? "invalid"}` as MessageKey },
        null,
      );
    case "withdrawal_closed":
    case "notice_resolved":
    case "contract_unavailable":
      return again(409, {}, { key: "summary.contractUnavailable" });
  }
}

/** The EU withdrawal button (CRD art. 11a), on a contract still inside its withdrawal period. */
function WithdrawalEntry({ until }: { until: string | null }) {
  const { t, lang } = useI18n();
  if (until === null) return null;
  return (
    <div className="notice stack">
      <p>{t("summary.withdrawalOpen", { date: formatDate(until, lang) })}</p>
      <p>
        <a className="button" href="/retractation/confirmer">
          {t("summary.withdrawalLink")}
        </a>
      </p>
    </div>
  );
}

export default function SummaryPage() {
  const { t, lang } = useI18n();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { prepared, values } = actionData ?? loaderData;
  const errors: FieldErrors = actionData?.errors ?? {};
  const problem = actionData?.problem ?? null;
  const { summary, candidates } = prepared;
  const selected = new Set(values.contractIds);
  const available = candidates.filter((candidate) => candidate.openCase === null);
  const blocked = candidates.filter((candidate) => candidate.openCase !== null);

  return (
    <PublicPage>
      <div className="stack">
        <p className="muted">{t("journey.step", { current: 2, total: 3 })}</p>
        <h1>{t("summary.title")}</h1>
        <p className="lead">{t("summary.lead", { name: prepared.firstName })}</p>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, problem.params) : null} />

      {blocked.map((candidate) => (
        <div key={candidate.id} className="notice">
          <p>
            {t("summary.openCase", {
              offer: candidate.offerName,
              reference: candidate.openCase!.reference,
              date: formatDate(candidate.openCase!.effectiveEndDate, lang),
            })}{" "}
            <a href="/dossier">{t("summary.findCase")}</a>
          </p>
        </div>
      ))}

      {summary === null ? (
        <p>{t("summary.nothingToCancel")}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="stack stack--large" noValidate>
          <input type="hidden" name="shownEndDate" value={summary.endDate} />
          <input type="hidden" name="shownType" value={values.terminationType} />

          <div className="cluster">
            <button
              type="submit"
              name="intent"
              value="notify"
              className="button button--primary button--large"
              disabled={busy}
            >
              {t("summary.notify")}
            </button>
            <span className="muted">{t("summary.notifyHint")}</span>
          </div>

          <ChoiceGroup
            name="contractIds"
            legend={<h2>{t("summary.contractsTitle")}</h2>}
            hint={available.length > 1 ? t("summary.contractsHint") : undefined}
            error={errors.contractIds}
          >
            {summary.contracts.map((contract) => (
              <div key={contract.id} className="card stack">
                <Choice
                  type="checkbox"
                  name="contractIds"
                  value={contract.id}
                  id={`contract-${contract.id}`}
                  defaultChecked={selected.has(contract.id)}
                  label={
                    <strong>
                      {t("summary.cancelThis", {
                        offer: contract.offerName,
                        number: contract.contractNumber,
                      })}
                    </strong>
                  }
                  hint={
                    contract.lines.length > 0
                      ? t("consequences.lines", {
                          lines: contract.lines.map(formatPhoneNumber).join(", "),
                        })
                      : undefined
                  }
                />
                <FeeDetails contract={contract} />
                <WithdrawalEntry
                  until={
                    candidates.find((candidate) => candidate.id === contract.id)
                      ?.withdrawalOpenUntil ?? null
                  }
                />
                {contract.returnItems.length > 0 ? (
                  <p>
                    {t("summary.contractEquipment", {
                      items: contract.returnItems
                        .map((item) => t(`equipment.${item.kind}` as MessageKey))
                        .join(", "),
                    })}
                  </p>
                ) : null}
              </div>
            ))}
          </ChoiceGroup>

          <section className="card stack" aria-labelledby="end-date-title">
            <h2 id="end-date-title">{t("summary.endDateTitle")}</h2>
            <ChoiceGroup
              name="endDateMode"
              legend={t("summary.endDateLegend")}
              // The 10-day rule is French law (L224-39); other packs state the date only.
              hint={t(
                prepared.jurisdiction === "FR" ? "summary.endDateHint" : "summary.endDateHintOther",
                {
                  date: formatDate(summary.window.earliest, lang),
                },
              )}
            >
              <Choice
                type="radio"
                name="endDateMode"
                value="earliest"
                id="endDateMode-earliest"
                defaultChecked={values.endDateMode !== "date"}
                label={t("summary.endDateEarliest", {
                  date: formatDate(summary.window.earliest, lang),
                })}
              />
              <Choice
                type="radio"
                name="endDateMode"
                value="date"
                id="endDateMode-date"
                defaultChecked={values.endDateMode === "date"}
                label={t("summary.endDateLater")}
              />
            </ChoiceGroup>
            <TextField
              name="endDate"
              type="date"
              label={t("summary.endDateField")}
              hint={t("summary.endDateFieldHint")}
              defaultValue={values.endDate}
              min={summary.window.earliest}
              max={summary.window.latestChoosable}
              error={errors.endDate}
              short
            />
            <p>
              <strong>{t("summary.endDateShown")}</strong> {formatDate(summary.endDate, lang)}
            </p>
            <p>
              <button
                type="submit"
                name="intent"
                value="update"
                className="button"
                formNoValidate
                disabled={busy}
              >
                {t("summary.update")}
              </button>
            </p>
          </section>

          <section className="card stack" aria-labelledby="type-title">
            <h2 id="type-title">{t("summary.typeTitle")}</h2>
            <ChoiceGroup name="terminationType" legend={t("summary.typeLegend")}>
              <Choice
                type="radio"
                name="terminationType"
                value="ordinary"
                id="terminationType-ordinary"
                defaultChecked={values.terminationType !== "legitimate_reason"}
                label={t("summary.typeOrdinary")}
              />
              <Choice
                type="radio"
                name="terminationType"
                value="legitimate_reason"
                id="terminationType-legitimate"
                defaultChecked={values.terminationType === "legitimate_reason"}
                label={t("summary.typeLegitimate")}
                hint={t("summary.typeLegitimateHint")}
              />
            </ChoiceGroup>
            <ChoiceGroup
              name="legitimateReason"
              legend={t("summary.reasonLegend")}
              hint={t("summary.reasonHint")}
              error={errors.legitimateReason}
            >
              {prepared.legitimateReasons.map((reason) => (
                <Choice
                  key={reason.code}
                  type="radio"
                  name="legitimateReason"
                  value={reason.code}
                  id={`legitimateReason-${reason.code}`}
                  defaultChecked={values.legitimateReason === reason.code}
                  label={t(`reason.${reason.code}` as MessageKey)}
                  hint={t("summary.proofsNeeded", {
                    proofs: reason.proofs.map((proof) => t(proof as MessageKey)).join(" ; "),
                  })}
                />
              ))}
            </ChoiceGroup>
            <div className={errors.proof ? "field field--error" : "field"}>
              <label className="field__label" htmlFor="proof">
                {t("summary.proofLabel")}
              </label>
              <p className="field__hint" id="proof-hint">
                {t("summary.proofHint", { email: prepared.supportEmail })}
              </p>
              {errors.proof ? (
                <p className="field__error" id="proof-error">
                  {t(errors.proof)}
                </p>
              ) : null}
              <input
                id="proof"
                name="proof"
                type="file"
                accept="application/pdf,image/jpeg,image/png"
                aria-describedby={errors.proof ? "proof-hint proof-error" : "proof-hint"}
              />
            </div>
          </section>

          <section className="card stack" aria-labelledby="equipment-title">
            <h2 id="equipment-title">{t("consequences.equipment")}</h2>
            <ReturnDetails summary={summary} returnAddress={prepared.returnAddress} />
          </section>

          <section className="card stack" aria-labelledby="refunds-title">
            <h2 id="refunds-title">{t("consequences.refunds")}</h2>
            <RefundDetails summary={summary} />
          </section>

          <section className="card stack" aria-labelledby="ack-title">
            <h2 id="ack-title">{t("summary.ackTitle")}</h2>
            <TextField
              name="email"
              type="email"
              inputMode="email"
              label={t("summary.ackEmail")}
              hint={t("summary.ackHint")}
              autoComplete="email"
              defaultValue={values.email}
              error={errors.email}
              spellCheck={false}
            />
          </section>

          <div className="cluster">
            <button
              type="submit"
              name="intent"
              value="notify"
              className="button button--primary button--large"
              disabled={busy}
            >
              {t("summary.notify")}
            </button>
          </div>
        </Form>
      )}
    </PublicPage>
  );
}
