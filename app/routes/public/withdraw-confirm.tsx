import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RefundDetails, ReturnDetails } from "~/components/consequences";
import {
  Choice,
  ChoiceGroup,
  ErrorSummary,
  FormAlert,
  TextField,
  type FieldErrors,
} from "~/components/form";
import { PublicPage } from "~/components/public-page";
import { formatDate, translate, type MessageKey } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { notifyCancellation } from "~/services/notify-cancellation.server";
import { prepareSummary } from "~/services/prepare-summary.server";
import { fieldErrors } from "./form-data";
import { readJourney, type Journey } from "./journey-session.server";

// The EU withdrawal function (CRD art. 11a, from 19 June 2026): after the "withdraw from
// contract here" entry and the identification, this page states what the withdrawal does and
// carries the "confirm withdrawal" button. The contract ends on receipt, with no fee.

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "withdrawal.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

const WithdrawSchema = z.object({
  contractIds: z.array(z.uuid()).min(1, "withdrawal.error.contracts"),
  email: z.string().trim().max(254, "form.tooLong").pipe(z.email("identify.error.email")),
});

type ProblemView = { key: MessageKey; params?: Record<string, string> };

async function view(context: LoaderFunctionArgs["context"], journey: Journey) {
  const prepared = await prepareSummary(context.db, {
    subscriberId: journey.subscriberId!,
    contractIds: journey.contractIds,
    endDate: { kind: "earliest" },
    legitimateReason: false,
    terminationType: "withdrawal",
    onlyWithdrawable: true,
  });
  if (prepared === null) throw redirect("/retractation");
  return prepared;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const handle = await readJourney(request, context);
  const { journey } = handle;
  if (journey.subscriberId === undefined) throw redirect("/retractation");
  if (journey.caseId !== undefined) throw redirect("/resilier/accuse");
  const prepared = await view(context, journey);
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (journey.summaryShownAt === undefined)
    headers.set(
      "Set-Cookie",
      await handle.save({ ...journey, summaryShownAt: new Date().toISOString() }),
    );
  const withdrawable = prepared.summary?.contracts.map((contract) => contract.id) ?? [];
  const preselected = journey.preselected.filter((id) => withdrawable.includes(id));
  return data(
    {
      prepared,
      values: {
        contractIds: preselected.length > 0 ? preselected : withdrawable,
        email: journey.email ?? "",
      },
      errors: {} as FieldErrors,
      problem: null as ProblemView | null,
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const handle = await readJourney(request, context);
  const { journey } = handle;
  if (journey.subscriberId === undefined) throw redirect("/retractation");
  const form = await request.formData();
  const values = {
    contractIds: form.getAll("contractIds").filter((id): id is string => typeof id === "string"),
    email: String(form.get("email") ?? ""),
  };
  const { lang } = resolveLang(request);
  const again = async (status: number, errors: FieldErrors, problem: ProblemView | null) =>
    data(
      { prepared: await view(context, journey), values, errors, problem },
      { status, headers: { "Cache-Control": "no-store" } },
    );
  const parsed = WithdrawSchema.safeParse(values);
  if (!parsed.success) return again(400, fieldErrors(parsed.error), null);

  const result = await notifyCancellation(
    { db: context.db, jobs: context.jobs, secret: context.env.SESSION_SECRET },
    {
      subscriberId: journey.subscriberId,
      contractIds: parsed.data.contractIds.filter((id) => journey.contractIds.includes(id)),
      acknowledgmentEmail: parsed.data.email,
      endDate: { kind: "earliest" },
      terminationType: "withdrawal",
      legitimateReason: null,
      proof: null,
      idempotencyKey: journey.key,
      language: lang,
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
          params: { reference: result.reference, date: formatDate(result.effectiveEndDate, lang) },
        },
      );
    case "withdrawal_closed":
      return again(409, {}, { key: "withdrawal.closed" });
    case "invalid_end_date":
    case "notice_resolved":
    case "contract_unavailable":
      return again(409, {}, { key: "summary.contractUnavailable" });
  }
}

export default function WithdrawConfirmPage() {
  const { t, lang } = useI18n();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { prepared, values } = actionData ?? loaderData;
  const errors: FieldErrors = actionData?.errors ?? {};
  const problem = actionData?.problem ?? null;
  const { summary } = prepared;
  const selected = new Set(values.contractIds);

  return (
    <PublicPage>
      <div className="stack">
        <p className="muted">{t("journey.step", { current: 2, total: 2 })}</p>
        <h1>{t("withdrawal.title")}</h1>
        <p className="lead">{t("withdrawal.lead", { name: prepared.firstName })}</p>
      </div>

      <ErrorSummary errors={errors} />
      <FormAlert message={problem ? t(problem.key, problem.params) : null} />

      {summary === null ? (
        <div className="card stack">
          <p>{t("withdrawal.none")}</p>
          <p>
            <a className="button" href="/resilier">
              {t("withdrawal.cancelInstead")}
            </a>
          </p>
        </div>
      ) : (
        <Form method="post" className="stack stack--large" noValidate>
          <ChoiceGroup
            name="contractIds"
            legend={<h2>{t("withdrawal.contractsTitle")}</h2>}
            error={errors.contractIds}
          >
            {summary.contracts.map((contract, index) => {
              const until = prepared.candidates.find(
                (candidate) => candidate.id === contract.id,
              )?.withdrawalOpenUntil;
              return (
                <div key={contract.id} className="card stack">
                  <Choice
                    type="checkbox"
                    name="contractIds"
                    value={contract.id}
                    id={index === 0 ? "contractIds" : `contract-${contract.id}`}
                    defaultChecked={selected.has(contract.id)}
                    label={
                      <strong>
                        {t("withdrawal.thisContract", {
                          offer: contract.offerName,
                          number: contract.contractNumber,
                        })}
                      </strong>
                    }
                    hint={
                      until
                        ? t("withdrawal.periodUntil", { date: formatDate(until, lang) })
                        : undefined
                    }
                  />
                </div>
              );
            })}
          </ChoiceGroup>

          <section className="card stack" aria-labelledby="effects-title">
            <h2 id="effects-title">{t("withdrawal.effectsTitle")}</h2>
            <p>
              {t("withdrawal.endsOn", { date: formatDate(summary.endDate, lang) })}{" "}
              {t("fee.waiver.withdrawal")}
            </p>
            <ReturnDetails summary={summary} returnAddress={prepared.returnAddress} />
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
            <button type="submit" className="button button--primary button--large" disabled={busy}>
              {t("withdrawal.submit")}
            </button>
          </div>
        </Form>
      )}
    </PublicPage>
  );
}
