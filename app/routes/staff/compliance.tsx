import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { verifyAllStreams } from "~/audit/verify-chain.server";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import { formatDateTime, translate } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.compliance.metaTitle", { operator: operatorName }) }];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.compliance);
  const started = Date.now();
  const result = await verifyAllStreams(args.context.db);
  return {
    ...result,
    broken: result.broken.flatMap((chain) =>
      chain.ok ? [] : [{ stream: chain.stream, ...chain.firstBroken }],
    ),
    checkedAt: new Date().toISOString(),
    ms: Date.now() - started,
  };
}

export default function StaffCompliance() {
  const { t, lang } = useI18n();
  const { streams, events, broken, checkedAt, ms } = useLoaderData<typeof loader>();
  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.compliance.title")} lead={t("staff.compliance.lead")} />
      <section className="stack" aria-labelledby="chains">
        <h2 id="chains">{t("staff.compliance.chains")}</h2>
        <div
          className={broken.length === 0 ? "notice notice--success" : "notice notice--warning"}
          role="status"
        >
          <p>
            {broken.length === 0
              ? t("staff.compliance.allIntact", { streams, events })
              : t("staff.compliance.someBroken", { count: broken.length, streams })}
          </p>
          <p className="muted">
            {t("staff.compliance.checkedAt", {
              when: formatDateTime(checkedAt, lang, STAFF_TIME_ZONE),
              ms,
            })}
          </p>
        </div>
        {broken.length > 0 ? (
          <div className="table-wrapper">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.compliance.colStream")}</th>
                  <th scope="col">{t("staff.compliance.colSeq")}</th>
                  <th scope="col">{t("staff.compliance.colProblem")}</th>
                </tr>
              </thead>
              <tbody>
                {broken.map((row) => (
                  <tr key={row.stream}>
                    <td className="mono">{row.stream}</td>
                    <td>{row.seq}</td>
                    <td>{t(`staff.compliance.problem.${row.problem}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
