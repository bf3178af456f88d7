import type { Queryable } from "../../../db/client";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent, streamForStaff } from "../../audit/record-event.server";
import { COMPLIANCE_KPIS, type ComplianceKpi, type KpiPeriod } from "../../domain/compliance-kpis";

/** Every export is audited (issue #8): a KPI's CSV, in the downloader's own chain. */
export async function recordKpiExport(
  db: Queryable,
  input: {
    kpi: ComplianceKpi;
    period: KpiPeriod;
    staffId: string;
    actor: Actor;
    meta: RequestMeta;
  },
): Promise<void> {
  await recordEvent(db, {
    stream: streamForStaff(input.staffId),
    type: "kpi.exported",
    actor: input.actor,
    meta: input.meta,
    data: { kpi: COMPLIANCE_KPIS[input.kpi], from: input.period.from, to: input.period.to },
  });
}
