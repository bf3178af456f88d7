import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { cancellationCases, caseContracts } from "../../db/schema";
import {
  summariseCancellation,
  type CancellationSummary,
  type EndDateChoice,
} from "../domain/cancellation-summary";
import { dateInZone, type IsoDate } from "../domain/dates";
import type {
  JurisdictionPack,
  LegitimateReason,
  TerminationType,
} from "../domain/jurisdictions/types";
import { loadCancellationContext } from "./load-cancellation-context.server";

export interface SummaryCandidate {
  id: string;
  contractNumber: string;
  offerName: string;
  lines: string[];
  /** A cancellation already under way for this contract: shown instead of a second one. */
  openCase: { reference: string; effectiveEndDate: IsoDate } | null;
  /** Last day of the EU withdrawal period, while it is still open today; else null. */
  withdrawalOpenUntil: IsoDate | null;
}

export interface PreparedSummary {
  firstName: string;
  candidates: SummaryCandidate[];
  /** Computed over every contract that can be cancelled now, at the chosen end date. */
  summary: CancellationSummary | null;
  legitimateReasons: readonly LegitimateReason[];
  timeZone: string;
  jurisdiction: JurisdictionPack["code"];
  /** The pack's kind of journey (Germany: one confirmation page). */
  journey: "summary" | "single_page";
  returnAddress: string;
  supportEmail: string;
}

/** The summary page's facts for the journey's contracts, as if notified now. */
export async function prepareSummary(
  db: Queryable,
  input: {
    subscriberId: string;
    contractIds: string[];
    endDate: EndDateChoice;
    legitimateReason: boolean;
    terminationType?: TerminationType;
    /** Only these contracts are summed up (the withdrawal page: those still in their period). */
    onlyWithdrawable?: boolean;
    now?: Date;
  },
): Promise<PreparedSummary | null> {
  const context = await loadCancellationContext(db, {
    subscriberId: input.subscriberId,
    contractIds: input.contractIds,
  });
  if (context === null) return null;
  const open = await db
    .select({
      contractId: caseContracts.contractId,
      reference: cancellationCases.reference,
      effectiveEndDate: cancellationCases.effectiveEndDate,
    })
    .from(caseContracts)
    .innerJoin(cancellationCases, eq(cancellationCases.id, caseContracts.caseId))
    .where(
      and(
        inArray(
          caseContracts.contractId,
          context.rows.map((row) => row.id),
        ),
        eq(caseContracts.open, true),
      ),
    );
  const openByContract = new Map(
    open.map((row) => [
      row.contractId,
      { reference: row.reference, effectiveEndDate: row.effectiveEndDate },
    ]),
  );
  const now = input.now ?? new Date();
  const today = dateInZone(now, context.pack.timeZone);
  const withdrawalOpenUntil = (ends: IsoDate | null) =>
    ends !== null && today <= ends ? ends : null;
  const available = context.contracts.filter(
    (contract) =>
      !openByContract.has(contract.id) &&
      (!input.onlyWithdrawable ||
        withdrawalOpenUntil(contract.facts.withdrawalPeriodEnds) !== null),
  );
  return {
    firstName: context.subscriber.firstName,
    candidates: context.contracts.map((contract) => ({
      id: contract.id,
      contractNumber: contract.contractNumber,
      offerName: contract.offerName,
      lines: contract.lines,
      openCase: openByContract.get(contract.id) ?? null,
      withdrawalOpenUntil: withdrawalOpenUntil(contract.facts.withdrawalPeriodEnds),
    })),
    summary:
      available.length === 0
        ? null
        : summariseCancellation({
            pack: context.pack,
            policy: context.policy,
            receivedAt: now,
            contracts: available,
            endDate: input.endDate,
            legitimateReason: input.legitimateReason,
            ...(input.terminationType ? { terminationType: input.terminationType } : {}),
          }),
    legitimateReasons: context.pack.legitimateReasons,
    timeZone: context.pack.timeZone,
    jurisdiction: context.pack.code,
    journey: context.pack.journey,
    returnAddress: context.operator.returnAddress,
    supportEmail: context.operator.supportEmail,
  };
}
