import type { CancellationSummary, ContractSummary } from "~/domain/cancellation-summary";
import type { FeeLine } from "~/domain/jurisdictions/types";
import { formatDate, formatMoney, localeFor, type MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import { formatPhoneNumber } from "~/domain/identification";

// The consequences of a cancellation (fees with their computation, equipment to return, refunds),
// shown the same way on the summary, the acknowledgment and the case page.

function useMoney() {
  const { lang } = useI18n();
  return (cents: number, currency: string) => formatMoney(cents, currency, lang);
}

function Duration({ months, days }: { months: number; days: number }) {
  const { t } = useI18n();
  if (days === 0) return <>{t("fee.months", { months })}</>;
  if (months === 0) return <>{t("fee.days", { days })}</>;
  return <>{t("fee.monthsAndDays", { months, days })}</>;
}

const FEE_LINE_LABEL: Record<FeeLine["kind"], MessageKey> = {
  months_to_twelve: "fee.line.monthsToTwelve",
  share_after_twelve: "fee.line.shareAfterTwelve",
  remaining_commitment: "fee.line.remainingCommitment",
  advantage_pro_rata: "fee.line.advantageProRata",
  remaining_fees_share: "fee.line.remainingFeesShare",
};

/** One computation step: "50 % of 18 months × 34,99 € = 314,91 €". */
function FeeLineText({ line, currency }: { line: FeeLine; currency: string }) {
  const { t, lang } = useI18n();
  const money = useMoney();
  const percent = new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 2 }).format(
    line.sharePercent,
  );
  return (
    <>
      {t(FEE_LINE_LABEL[line.kind])}
      {t("punctuation.colon")}
      {line.kind === "advantage_pro_rata" ? (
        // Portugal: the advantage received × the share of the commitment still to run.
        <>
          {money(line.periodCents, currency)} × {percent} % (
          <Duration months={line.months} days={line.days} />)
        </>
      ) : (
        <>
          {line.sharePercent === 100 ? null : `${percent} % ${t("fee.of")} `}
          <Duration months={line.months} days={line.days} /> × {money(line.monthlyCents, currency)}
        </>
      )}{" "}
      = <strong>{money(line.amountCents, currency)}</strong>
    </>
  );
}

export function FeeDetails({ contract }: { contract: ContractSummary }) {
  const { t, lang } = useI18n();
  const money = useMoney();
  const { fee } = contract;
  return (
    <div className="stack stack--small">
      <p>
        <strong>{t("fee.total")}</strong> {money(fee.totalCents, fee.currency)}
      </p>
      {fee.waiver ? <p className="muted">{t(`fee.waiver.${fee.waiver}`)}</p> : null}
      {fee.lines.length > 0 && !fee.waiver ? (
        <ul className="list">
          {fee.lines.map((line) => (
            <li key={line.kind}>
              <FeeLineText line={line} currency={fee.currency} />
            </li>
          ))}
        </ul>
      ) : null}
      {fee.rule === "lower_of" && fee.lines.length > 0 && !fee.waiver ? (
        <p className="muted">{t("fee.lowerOf")}</p>
      ) : null}
      {fee.commitmentEndDate && !fee.waiver ? (
        <p className="muted">
          {t("fee.commitmentEnds", { date: formatDate(fee.commitmentEndDate, lang) })}
        </p>
      ) : null}
    </div>
  );
}

export function ReturnDetails({
  summary,
  returnAddress,
}: {
  summary: CancellationSummary;
  returnAddress?: string;
}) {
  const { t, lang } = useI18n();
  const money = useMoney();
  if (summary.returnItems.length === 0) return <p>{t("equipment.none")}</p>;
  return (
    <div className="stack stack--small">
      <ul className="list">
        {summary.returnItems.map((item) => (
          <li key={item.id}>
            {t(`equipment.${item.kind}` as MessageKey)} ({item.model}){t("punctuation.colon")}
            {t("equipment.chargeIfNotReturned", {
              amount: money(item.nonReturnChargeCents, summary.currency),
            })}
          </li>
        ))}
      </ul>
      {summary.returnDeadline ? (
        <p>{t("equipment.deadline", { date: formatDate(summary.returnDeadline, lang) })}</p>
      ) : null}
      <p>
        {t("equipment.methods")}{" "}
        {summary.returnMethods
          .map((method) => t(`returnMethod.${method}` as MessageKey))
          .join(", ")}
        .
      </p>
      {returnAddress ? (
        <p className="muted">{t("equipment.address", { address: returnAddress })}</p>
      ) : null}
    </div>
  );
}

export function RefundDetails({ summary }: { summary: CancellationSummary }) {
  const { t } = useI18n();
  const money = useMoney();
  if (summary.refunds.length === 0) return <p>{t("refund.none")}</p>;
  return (
    <ul className="list">
      {summary.refunds.map((refund, index) => (
        <li key={`${refund.kind}-${index}`}>
          {t(`refund.${refund.kind}`)}
          {t("punctuation.colon")}
          <strong>{money(refund.amountCents, refund.currency)}</strong>,{" "}
          {t(
            refund.trigger === "equipment_returned"
              ? "refund.afterEquipment"
              : "refund.afterLastInvoice",
            { days: refund.legalDays },
          )}
        </li>
      ))}
    </ul>
  );
}

/** The whole picture, read-only (acknowledgment and case page). */
export function Consequences({
  summary,
  returnAddress,
}: {
  summary: CancellationSummary;
  returnAddress?: string;
}) {
  const { t, lang } = useI18n();
  const money = useMoney();
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="consequences-contracts">
        <h2 id="consequences-contracts">{t("consequences.contracts")}</h2>
        {summary.contracts.map((contract) => (
          <div key={contract.id} className="stack stack--small">
            <h3>
              {contract.offerName} <span className="muted">({contract.contractNumber})</span>
            </h3>
            {contract.lines.length > 0 ? (
              <p>
                {t("consequences.lines", {
                  lines: contract.lines.map(formatPhoneNumber).join(", "),
                })}
              </p>
            ) : null}
            <FeeDetails contract={contract} />
          </div>
        ))}
        <p>
          <strong>{t("consequences.endDate")}</strong> {formatDate(summary.endDate, lang)}
        </p>
        {summary.contracts.length > 1 ? (
          <p>
            <strong>{t("fee.grandTotal")}</strong> {money(summary.feeTotalCents, summary.currency)}
          </p>
        ) : null}
      </section>
      <section className="card stack" aria-labelledby="consequences-equipment">
        <h2 id="consequences-equipment">{t("consequences.equipment")}</h2>
        <ReturnDetails summary={summary} returnAddress={returnAddress} />
      </section>
      <section className="card stack" aria-labelledby="consequences-refunds">
        <h2 id="consequences-refunds">{t("consequences.refunds")}</h2>
        <RefundDetails summary={summary} />
      </section>
    </div>
  );
}
