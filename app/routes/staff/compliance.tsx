import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  CheckpointRefusedError,
  takeCheckpoint,
  type AuditTrailReport,
} from "~/audit/checkpoints.server";
import { recordEvent, streamForStaff } from "~/audit/record-event.server";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS, canView, type StaffPage } from "~/auth/staff-access";
import { STAFF_TIME_ZONE, StaffHeading } from "~/components/staff-frame";
import type { StaffRole } from "~/domain/enums";
import { formatDateTime, localeFor, translate, type Lang, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { loadComplianceOverview } from "~/services/load-compliance-overview.server";
import { runAuditVerification } from "~/services/verify-audit-trail.server";
import { ComplianceActionSchema, LISTED_PROBLEMS } from "./compliance-schema";

// Issue #8: the compliance overview — the signed checkpoints, the public key and where it is
// published, the last full verification of the audit trail (run again on demand), and the
// other compliance pages. Nothing heavy runs on a plain visit: verifying a million events takes
// seconds, so it runs when asked and its result is kept as an `audit.verified` event.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction = ({ matches }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [{ title: translate(lang, "staff.compliance.metaTitle", { operator: operatorName }) }];
};

/** Signing a checkpoint by hand writes one: admin only (compliance makes no changes). */
const CHECKPOINT_ROLES: readonly StaffRole[] = ["admin"];

/** The other compliance pages, by path (each has its own access entry). */
const COMPLIANCE_PAGES: { page: StaffPage; path: string; key: string }[] = [
  { page: "complianceExports", path: "/staff/conformite/exports", key: "exports" },
  { page: "complianceKpis", path: "/staff/conformite/indicateurs", key: "kpis" },
  { page: "accessLog", path: "/staff/conformite/acces", key: "access" },
  { page: "complianceRetention", path: "/staff/conformite/conservation", key: "retention" },
];

export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.compliance);
  const { db, auditSigner, env } = args.context;
  const overview = await loadComplianceOverview(db, auditSigner);
  return {
    ...overview,
    pages: COMPLIANCE_PAGES.filter((entry) => canView(staff.role, entry.page)),
    canVerify: (STAFF_ACCESS.compliance.act as readonly StaffRole[]).includes(staff.role),
    canCheckpoint: CHECKPOINT_ROLES.includes(staff.role),
    publishedAt: {
      keys: new URL("/.well-known/easy-exit/audit-keys.json", env.APP_URL).toString(),
      pem: new URL("/.well-known/easy-exit/audit-key.pem", env.APP_URL).toString(),
    },
  };
}

/** A verification's report with its lists cut to what a page can show. */
function listed(report: AuditTrailReport) {
  return {
    ...report,
    totals: {
      brokenChains: report.chains.broken.length,
      badCheckpoints: report.checkpoints.problems.length,
      missingHeads: report.deletions.missing.length,
    },
    chains: { ...report.chains, broken: report.chains.broken.slice(0, LISTED_PROBLEMS) },
    checkpoints: {
      ...report.checkpoints,
      problems: report.checkpoints.problems.slice(0, LISTED_PROBLEMS),
    },
    deletions: {
      ...report.deletions,
      missing: report.deletions.missing.slice(0, LISTED_PROBLEMS),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.compliance);
  const { db, auditSigner, requestMeta } = args.context;
  const parsed = ComplianceActionSchema.safeParse(
    Object.fromEntries(await args.request.formData()),
  );
  if (!parsed.success) throw data({ reason: "bad_request" }, { status: 400 });

  if (parsed.data.intent === "verify") {
    const report = await runAuditVerification(db, {
      actor: staff.actor,
      meta: requestMeta,
      stream: streamForStaff(staff.staff.id),
    });
    return { intent: "verify" as const, report: listed(report) };
  }

  if (!CHECKPOINT_ROLES.includes(staff.staff.role))
    throw data({ reason: "forbidden" }, { status: 403 });
  try {
    const { checkpoint, changedStreams } = await takeCheckpoint(db, auditSigner);
    await recordEvent(db, {
      stream: streamForStaff(staff.staff.id),
      type: "audit.checkpoint_taken",
      actor: staff.actor,
      meta: requestMeta,
      data: { checkpointId: checkpoint.id, streams: checkpoint.streams, changedStreams },
    });
    return {
      intent: "checkpoint" as const,
      taken: { id: checkpoint.id, streams: checkpoint.streams, changedStreams },
    };
  } catch (error) {
    if (!(error instanceof CheckpointRefusedError)) throw error;
    return data(
      {
        intent: "checkpoint" as const,
        refused: { checkpointId: error.checkpointId, missing: error.missing.length },
      },
      { status: 409 },
    );
  }
}

function plural(lang: Lang, count: number): "one" | "other" {
  return new Intl.PluralRules(localeFor(lang)).select(count) === "one" ? "one" : "other";
}

function useNumber() {
  const { lang } = useI18n();
  const format = new Intl.NumberFormat(localeFor(lang));
  return (value: number) => format.format(value);
}

/** A chain named for people: the case reference (linked to the case) when it is a case's. */
function ChainName({
  stream,
  caseId = null,
  caseReference = null,
}: {
  stream: string;
  caseId?: string | null;
  caseReference?: string | null;
}) {
  const { t } = useI18n();
  if (caseId === null) return <span className="mono">{stream}</span>;
  return (
    <>
      <Link to={`/staff/dossiers/${caseId}`} className="mono">
        {caseReference ?? t("staff.compliance.caseWithoutReference")}
      </Link>
      <span className="muted mono hash"> {stream}</span>
    </>
  );
}

type Listed = ReturnType<typeof listed>;

/** The full lists of a verification just run on this page. */
function ReportDetails({ report }: { report: Listed }) {
  const { t, lang } = useI18n();
  const n = useNumber();
  const { chains, checkpoints, deletions } = report;
  const more = (shown: number, total: number) =>
    total > shown ? (
      <p className="muted">
        {t("staff.compliance.moreProblems", { shown: n(shown), total: n(total) })}
      </p>
    ) : null;
  return (
    <>
      {chains.broken.length > 0 ? (
        <div className="stack stack--small">
          <h3 id="broken-chains">{t("staff.compliance.brokenChainsTitle")}</h3>
          <div className="table-wrapper" role="region" aria-labelledby="broken-chains" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.compliance.colStream")}</th>
                  <th scope="col">{t("staff.compliance.colSeq")}</th>
                  <th scope="col">{t("staff.compliance.colProblem")}</th>
                </tr>
              </thead>
              <tbody>
                {chains.broken.map((chain) => (
                  <tr key={chain.stream}>
                    <td>
                      <ChainName {...chain} />
                    </td>
                    <td>{chain.seq}</td>
                    <td>{t(`staff.compliance.problem.${chain.problem}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more(chains.broken.length, report.totals.brokenChains)}
        </div>
      ) : null}
      {checkpoints.problems.length > 0 ? (
        <div className="stack stack--small">
          <h3>{t("staff.compliance.badCheckpointsTitle")}</h3>
          <ul className="list">
            {checkpoints.problems.map((bad) => (
              <li key={bad.checkpointId}>
                {t("staff.compliance.badCheckpoint", {
                  id: bad.checkpointId,
                  problems: bad.problems
                    .map((problem) => t(`staff.compliance.checkpointProblem.${problem}`))
                    .join(lang === "fr" ? "\u202f; " : "; "),
                })}
              </li>
            ))}
          </ul>
          {more(checkpoints.problems.length, report.totals.badCheckpoints)}
        </div>
      ) : null}
      {deletions.missing.length > 0 ? (
        <div className="stack stack--small">
          <h3 id="missing-heads">
            {t("staff.compliance.missingTitle", { id: deletions.checkpointId ?? "" })}
          </h3>
          <div className="table-wrapper" role="region" aria-labelledby="missing-heads" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("staff.compliance.colStream")}</th>
                  <th scope="col">{t("staff.compliance.colSignedHead")}</th>
                  <th scope="col">{t("staff.compliance.colNow")}</th>
                  <th scope="col">{t("staff.compliance.colProblem")}</th>
                </tr>
              </thead>
              <tbody>
                {deletions.missing.map((head) => (
                  <tr key={head.stream}>
                    <td>
                      <ChainName {...head} />
                    </td>
                    <td>{head.seq}</td>
                    <td>
                      {head.lastSeq === null ? t("staff.compliance.noEventLeft") : head.lastSeq}
                    </td>
                    <td>{t(`staff.compliance.headProblem.${head.problem}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more(deletions.missing.length, report.totals.missingHeads)}
        </div>
      ) : null}
    </>
  );
}

export default function StaffCompliance() {
  const { t, lang } = useI18n();
  const n = useNumber();
  const overview = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyWith = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const last = overview.lastVerification;
  const when = (iso: string) => formatDateTime(iso, lang, STAFF_TIME_ZONE);
  const verified = result?.intent === "verify" ? result.report : null;

  return (
    <div className="stack stack--large">
      <StaffHeading title={t("staff.compliance.title")} lead={t("staff.compliance.lead")} />

      {overview.pages.length > 0 ? (
        <nav aria-labelledby="compliance-pages">
          <h2 id="compliance-pages" className="visually-hidden">
            {t("staff.compliance.pagesTitle")}
          </h2>
          <ul className="card-grid">
            {overview.pages.map((entry) => (
              <li key={entry.path} className="card stack stack--small">
                <h3>
                  <Link to={entry.path}>
                    {t(`staff.compliance.page.${entry.key}` as MessageKey)}
                  </Link>
                </h3>
                <p className="muted">{t(`staff.compliance.pageText.${entry.key}` as MessageKey)}</p>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}

      <section className="stack" aria-labelledby="verification">
        <h2 id="verification">{t("staff.compliance.verificationTitle")}</h2>
        <p>{t("staff.compliance.verificationText")}</p>
        {last === null ? (
          <p className="notice">{t("staff.compliance.neverVerified")}</p>
        ) : (
          <div
            className={last.summary.ok ? "notice notice--success" : "notice notice--danger"}
            role="status"
          >
            <p>
              <strong>
                {last.summary.ok
                  ? t("staff.compliance.verifiedOk")
                  : t("staff.compliance.verifiedBroken")}
              </strong>
            </p>
            <p>
              {t(`staff.compliance.verifiedCounts.${plural(lang, last.summary.checkpoints)}`, {
                streams: n(last.summary.streams),
                events: n(last.summary.events),
                checkpoints: n(last.summary.checkpoints),
              })}
            </p>
            {last.summary.brokenChains > 0 ? (
              <p>
                {t(`staff.compliance.brokenChains.${plural(lang, last.summary.brokenChains)}`, {
                  count: n(last.summary.brokenChains),
                })}
              </p>
            ) : null}
            {last.summary.firstBrokenChain ? (
              <p>
                {t("staff.compliance.firstBrokenLink")}{" "}
                <ChainName
                  stream={last.summary.firstBrokenChain.stream}
                  {...overview.lastVerificationCases[last.summary.firstBrokenChain.stream]}
                />{" "}
                {t("staff.compliance.atSeq", {
                  seq: last.summary.firstBrokenChain.seq,
                  problem: t(
                    `staff.compliance.problem.${last.summary.firstBrokenChain.problem}` as MessageKey,
                  ),
                })}
              </p>
            ) : null}
            {last.summary.badCheckpoints > 0 ? (
              <p>
                {t(`staff.compliance.badCheckpoints.${plural(lang, last.summary.badCheckpoints)}`, {
                  count: n(last.summary.badCheckpoints),
                })}
                {last.summary.firstBadCheckpoint
                  ? ` ${t("staff.compliance.badCheckpoint", {
                      id: last.summary.firstBadCheckpoint.checkpointId,
                      problems: last.summary.firstBadCheckpoint.problems
                        .map((problem) =>
                          t(`staff.compliance.checkpointProblem.${problem}` as MessageKey),
                        )
                        .join(lang === "fr" ? "\u202f; " : "; "),
                    })}`
                  : null}
              </p>
            ) : null}
            {last.summary.missingHeads > 0 ? (
              <p>
                {t(`staff.compliance.missingHeads.${plural(lang, last.summary.missingHeads)}`, {
                  count: n(last.summary.missingHeads),
                  id: last.summary.latestCheckpointId ?? "",
                })}
              </p>
            ) : null}
            {last.summary.firstMissingHead ? (
              <p>
                {t("staff.compliance.firstMissingHead")}{" "}
                <ChainName
                  stream={last.summary.firstMissingHead.stream}
                  {...overview.lastVerificationCases[last.summary.firstMissingHead.stream]}
                />{" "}
                {t("staff.compliance.atSeq", {
                  seq: last.summary.firstMissingHead.seq,
                  problem: t(
                    `staff.compliance.headProblem.${last.summary.firstMissingHead.problem}` as MessageKey,
                  ),
                })}
              </p>
            ) : null}
            <p className="muted">
              {t(
                last.staffName === null
                  ? "staff.compliance.verifiedByCli"
                  : "staff.compliance.verifiedBy",
                {
                  when: when(last.at),
                  name: last.staffName ?? "",
                  seconds: (last.summary.durationMs / 1000).toLocaleString(localeFor(lang), {
                    maximumFractionDigits: 1,
                  }),
                },
              )}
            </p>
          </div>
        )}
        {verified ? <ReportDetails report={verified} /> : null}
        {overview.canVerify ? (
          <Form method="post" className="stack stack--small">
            <p>
              <button
                type="submit"
                name="intent"
                value="verify"
                className="button button--primary"
                disabled={busyWith === "verify"}
              >
                {busyWith === "verify"
                  ? t("staff.compliance.verifying")
                  : t("staff.compliance.verifyNow")}
              </button>
            </p>
            <p className="muted">{t("staff.compliance.verifyHint")}</p>
          </Form>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="checkpoints">
        <h2 id="checkpoints">{t("staff.compliance.checkpointsTitle")}</h2>
        <p>{t("staff.compliance.checkpointsText")}</p>
        {result?.intent === "checkpoint" && "taken" in result ? (
          <p className="notice notice--success" role="status">
            {t(`staff.compliance.checkpointTaken.${plural(lang, result.taken.changedStreams)}`, {
              id: result.taken.id,
              streams: n(result.taken.streams),
              changed: n(result.taken.changedStreams),
            })}
          </p>
        ) : null}
        {result?.intent === "checkpoint" && "refused" in result ? (
          <p className="notice notice--danger" role="alert">
            {t("staff.compliance.checkpointRefused", {
              id: result.refused.checkpointId,
              count: n(result.refused.missing),
            })}
          </p>
        ) : null}
        {overview.checkpoints.length === 0 ? (
          <p className="notice">{t("staff.compliance.noCheckpoint")}</p>
        ) : (
          <>
            <div className="table-wrapper" role="region" aria-labelledby="checkpoints" tabIndex={0}>
              <table className="table">
                <caption className="visually-hidden">
                  {t("staff.compliance.checkpointsCaption", {
                    shown: overview.checkpoints.length,
                    total: n(overview.checkpointCount),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("staff.compliance.colCheckpoint")}</th>
                    <th scope="col">{t("staff.compliance.colTakenAt")}</th>
                    <th scope="col">{t("staff.compliance.colStreams")}</th>
                    <th scope="col">{t("staff.compliance.colEvents")}</th>
                    <th scope="col">{t("staff.compliance.colRoot")}</th>
                    <th scope="col">{t("staff.compliance.colKey")}</th>
                    <th scope="col">{t("staff.compliance.colSignature")}</th>
                  </tr>
                </thead>
                <tbody>
                  {overview.checkpoints.map((checkpoint) => (
                    <tr key={checkpoint.id}>
                      <td>#{checkpoint.id}</td>
                      <td className="nowrap">{when(checkpoint.takenAt)}</td>
                      <td>{n(checkpoint.streams)}</td>
                      <td>{n(checkpoint.events)}</td>
                      <td className="checkpoint-root">
                        <code className="hash">{checkpoint.root}</code>
                      </td>
                      <td className="mono">{checkpoint.keyId}</td>
                      <td>
                        {checkpoint.signatureValid ? (
                          <span className="badge badge--success">
                            {t("staff.compliance.signatureValid")}
                          </span>
                        ) : (
                          <span className="badge badge--danger">
                            {t("staff.compliance.signatureInvalid")}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted">
              {t("staff.compliance.checkpointsShown", {
                shown: overview.checkpoints.length,
                total: n(overview.checkpointCount),
              })}
            </p>
          </>
        )}
        {overview.canCheckpoint ? (
          <Form method="post">
            <button
              type="submit"
              name="intent"
              value="checkpoint"
              className="button"
              disabled={busyWith === "checkpoint"}
            >
              {t("staff.compliance.checkpointNow")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="public-key">
        <h2 id="public-key">{t("staff.compliance.keyTitle")}</h2>
        <p>{t("staff.compliance.keyText")}</p>
        <dl className="summary-list">
          <dt>{t("staff.compliance.keyId")}</dt>
          <dd className="mono">{overview.currentKey.keyId}</dd>
          <dt>{t("staff.compliance.keyAlgorithm")}</dt>
          <dd>Ed25519</dd>
          <dt>{t("staff.compliance.keyFirstUsed")}</dt>
          <dd>
            {overview.currentKey.firstUsedAt
              ? when(overview.currentKey.firstUsedAt)
              : t("staff.compliance.keyNotUsedYet")}
          </dd>
          <dt>{t("staff.compliance.keyPublishedAt")}</dt>
          <dd>
            <ul className="list">
              <li>
                <a href={overview.publishedAt.pem} className="mono hash">
                  {overview.publishedAt.pem}
                </a>
              </li>
              <li>
                <a href={overview.publishedAt.keys} className="mono hash">
                  {overview.publishedAt.keys}
                </a>{" "}
                {t(`staff.compliance.keysCount.${plural(lang, overview.keys.length)}`, {
                  count: overview.keys.length,
                })}
              </li>
            </ul>
          </dd>
        </dl>
        <div className="stack stack--small">
          <h3 id="public-key-pem">{t("staff.compliance.keyPem")}</h3>
          <pre className="mono hash" aria-labelledby="public-key-pem">
            {overview.currentKey.publicKeyPem}
          </pre>
        </div>
        <p>
          {t("staff.compliance.verifyExportHint")}{" "}
          <code className="mono hash">
            node tools/verify-audit-export.mjs export.csv --public-key audit-key.pem
          </code>
        </p>
      </section>
    </div>
  );
}
