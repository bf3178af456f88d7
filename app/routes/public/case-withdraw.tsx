import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PublicPage } from "~/components/public-page";
import { formatDate, translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { withdrawCancellation } from "~/services/withdraw-cancellation.server";
import { requireCaseByToken } from "./case-access.server";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    { title: translate(lang, "withdraw.metaTitle", { operator: operatorName }) },
    { name: "robots", content: "noindex" },
  ];
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  return data(
    {
      reference: view.case.reference,
      effectiveEndDate: view.case.effectiveEndDate,
      withdrawable: view.withdrawable,
      supportEmail: view.operatorSupportEmail,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ params, context }: ActionFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const result = await withdrawCancellation(
    { db: context.db, jobs: context.jobs },
    { caseId: view.case.id, meta: context.requestMeta },
  );
  if (result.kind === "withdrawn") throw redirect(`/dossier/${params.token}?retrait=ok`, 303);
  return data({ refused: result.reason }, { status: 409 });
}

export default function WithdrawPage() {
  const { t, lang } = useI18n();
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const refused = actionData?.refused ?? (view.withdrawable.ok ? null : view.withdrawable.reason);
  return (
    <PublicPage>
      <h1>{t("withdraw.confirmTitle", { reference: view.reference })}</h1>
      {refused ? (
        <div className="notice notice--warning" role="alert">
          <p>{t(`withdraw.refused.${refused}` as MessageKey, { email: view.supportEmail })}</p>
        </div>
      ) : (
        <>
          <p className="lead">
            {t("withdraw.confirmText", { date: formatDate(view.effectiveEndDate, lang) })}
          </p>
          <Form method="post" className="cluster">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("withdraw.confirm")}
            </button>
            <Link to=".." relative="path">
              {t("withdraw.cancel")}
            </Link>
          </Form>
        </>
      )}
      {refused ? (
        <p>
          <Link to=".." relative="path">
            {t("withdraw.back")}
          </Link>
        </p>
      ) : null}
    </PublicPage>
  );
}
