import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  COMPLIANCE_KPIS,
  KPI_CASE_SETS,
  caseSetHref,
  type ComplianceKpi,
  type KpiCaseSet,
  type KpiPeriod,
} from "../../app/domain/compliance-kpis";
import { dateInZone, type IsoDate } from "../../app/domain/dates";
import { countCaseSet } from "../../app/services/compliance-kpis/case-sets.server";
import { loadComplianceKpis } from "../../app/services/compliance-kpis/load-compliance-kpis.server";
import { searchCases } from "../../app/services/staff/search-cases.server";
import type { Db } from "../../db/client";
import {
  auditEvents,
  cancellationCases,
  operators,
  staffUsers,
  type CancellationCase,
  type Operator,
} from "../../db/schema";
import {
  insertCase,
  insertContract,
  insertEquipment,
  insertOperator,
  insertSubscriber,
} from "../factories/index";
import {
  insertAcknowledgment,
  insertRefund,
  settleReturn,
  insertUnmatchedNotice,
  markMatchedFromNotice,
} from "../factories/compliance";
import { setupPortal } from "../setup/portal";
import { getPage, signIn } from "../setup/staff-http";
import { setupTestDatabase } from "../setup/test-db";

// Issue #8's legal-deadline KPIs on a hand-made month (March 2020, Paris time, across the
// change to summer time on the 29th): every figure exact, with the edges — a refund paid on
// day 10 (on time) and one on day 11 (late), an acknowledgment at exactly 5 s and one at
// 5.001 s, a case effective on its date and one a day late, a withdrawn case, a case notified
// at 23:30 on the last evening and one at 00:30 the next morning. Then over HTTP against the
// real portal: the page, its CSV files and the links to the cases behind each figure; roles.

const MARCH: KpiPeriod = { from: "2020-03-01", to: "2020-03-31" };
const at = (iso: string) => new Date(iso);

interface Scenario {
  cases: Record<"c1" | "c2" | "c3" | "c4" | "c5" | "c6" | "c7" | "c8", CancellationCase>;
}

/**
 * The month's data. Cases (all FR, Europe/Paris):
 * c1 notified 2 Mar, effective on its end date 12 Mar; ack 0.8 s; refunds on time; return on time.
 * c2 notified 10 Mar 23:30; end 20 Mar, effective on the 21st (late); ack at exactly 5 s; a refund
 *    paid on day 11; a return complete a day late.
 * c3 notified 15 Mar, withdrawn the next day; ack at 5.001 s; its return cancelled.
 * c4 notified 31 Mar 23:30 (summer time); no ack delivered; ends in April.
 * c5 notified 1 Apr 00:30 (still 31 Mar in UTC): outside March everywhere.
 * c6 notified in February, end date 5 Mar never reached effective; an unpaid refund due 20 Mar
 *    and a failed one due in April (both overdue now); a return with an item missing.
 * c7 made on 6 Mar by matching notice n1 (received 5 Mar 08:00, matched 36 h later), ends 15 Mar on time.
 * c8 made on 8 Mar by matching notice n2 (matched 12 h later), ends in April.
 * Notices: n3 rejected (9 Mar), n4 pending (20 Mar), n5 pending (received in February).
 */
async function buildMarch(db: Db, operator: Operator): Promise<Scenario> {
  const made = async (input: {
    receivedAt: string;
    end: IsoDate;
    status?: CancellationCase["status"];
    equipment?: number;
  }) => {
    const subscriber = await insertSubscriber(db, { operatorId: operator.id });
    const contract = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: "2018-01-15",
    });
    const items = [];
    for (let i = 0; i < (input.equipment ?? 0); i += 1)
      items.push(
        await insertEquipment(db, {
          contractId: contract.id,
          kind: i === 0 ? "box" : "tv_decoder",
          nonReturnChargeCents: 9000,
        }),
      );
    const { case: row } = await insertCase(db, {
      operatorId: operator.id,
      subscriber,
      contracts: [contract],
      receivedAt: at(input.receivedAt),
      effectiveEndDate: input.end,
      status: input.status,
    });
    return { row, items };
  };

  const c1 = await made({
    receivedAt: "2020-03-02T09:00:00Z",
    end: "2020-03-12",
    status: "effective",
    equipment: 2,
  });
  const c2 = await made({
    receivedAt: "2020-03-10T22:30:00Z",
    end: "2020-03-20",
    status: "effective",
    equipment: 1,
  });
  // Became effective the day after its end date (the portal was down that day).
  await db
    .update(cancellationCases)
    .set({ effectiveAt: at("2020-03-21T07:00:00Z") })
    .where(eq(cancellationCases.id, c2.row.id));
  const c3 = await made({
    receivedAt: "2020-03-15T12:00:00Z",
    end: "2020-03-25",
    status: "withdrawn",
    equipment: 1,
  });
  const c4 = await made({ receivedAt: "2020-03-31T21:30:00Z", end: "2020-04-10" });
  const c5 = await made({ receivedAt: "2020-03-31T22:30:00Z", end: "2020-04-11" });
  const c6 = await made({ receivedAt: "2020-02-20T10:00:00Z", end: "2020-03-05", equipment: 2 });
  const c7 = await made({
    receivedAt: "2020-03-05T08:00:00Z",
    end: "2020-03-15",
    status: "effective",
  });
  const c8 = await made({ receivedAt: "2020-03-08T10:00:00Z", end: "2020-04-20" });

  await insertAcknowledgment(db, c1.row, 800);
  await insertAcknowledgment(db, c2.row, 5_000);
  await insertAcknowledgment(db, c3.row, 5_001);
  await insertAcknowledgment(db, c5.row, 1_000);
  // Made from notices: acknowledged by the notice's own email; theirs comes days later.
  await insertAcknowledgment(db, c7.row, 36 * 3_600_000 + 2_000);

  const n1 = await insertUnmatchedNotice(db, {
    operatorId: operator.id,
    receivedAt: at("2020-03-05T08:00:00Z"),
  });
  await markMatchedFromNotice(db, {
    notice: n1,
    caseRow: c7.row,
    matchedAt: at("2020-03-06T20:00:00Z"),
  });
  const n2 = await insertUnmatchedNotice(db, {
    operatorId: operator.id,
    receivedAt: at("2020-03-08T10:00:00Z"),
  });
  await markMatchedFromNotice(db, {
    notice: n2,
    caseRow: c8.row,
    matchedAt: at("2020-03-08T22:00:00Z"),
  });
  await insertUnmatchedNotice(db, {
    operatorId: operator.id,
    receivedAt: at("2020-03-09T10:00:00Z"),
    status: "rejected",
  });
  await insertUnmatchedNotice(db, {
    operatorId: operator.id,
    receivedAt: at("2020-03-20T10:00:00Z"),
  });
  await insertUnmatchedNotice(db, {
    operatorId: operator.id,
    receivedAt: at("2020-02-01T10:00:00Z"),
  });

  // Refunds (L224-35: due 10 days after the clock started).
  await insertRefund(db, {
    caseId: c1.row.id,
    status: "issued",
    clockStartedOn: "2020-03-01",
    legalDueDate: "2020-03-11",
    // 23:30 in Paris on day 10: on time.
    issuedAt: at("2020-03-11T22:30:00Z"),
  });
  await insertRefund(db, {
    caseId: c1.row.id,
    kind: "advance_payment",
    status: "issued",
    clockStartedOn: "2020-03-21",
    legalDueDate: "2020-03-31",
    issuedAt: at("2020-03-30T10:00:00Z"),
  });
  await insertRefund(db, {
    caseId: c2.row.id,
    status: "issued",
    clockStartedOn: "2020-03-05",
    legalDueDate: "2020-03-15",
    // 00:30 in Paris on day 11: late.
    issuedAt: at("2020-03-15T23:30:00Z"),
  });
  await insertRefund(db, {
    caseId: c6.row.id,
    status: "due",
    clockStartedOn: "2020-03-10",
    legalDueDate: "2020-03-20",
  });
  await insertRefund(db, {
    caseId: c6.row.id,
    kind: "advance_payment",
    status: "failed",
    clockStartedOn: "2020-03-26",
    legalDueDate: "2020-04-05",
  });
  // Withheld for a reason: not payable, not counted.
  await insertRefund(db, {
    caseId: c7.row.id,
    status: "withheld",
    clockStartedOn: "2020-03-15",
    legalDueDate: "2020-03-25",
  });

  // Equipment returns.
  await settleReturn(db, {
    caseId: c1.row.id,
    deadline: "2020-03-20",
    status: "inspected",
    items: [
      { equipment: c1.items[0]!, receivedAt: at("2020-03-18T10:00:00Z") },
      // 23:00 in Paris on the deadline day: on time.
      { equipment: c1.items[1]!, receivedAt: at("2020-03-20T22:00:00Z") },
    ],
  });
  await settleReturn(db, {
    caseId: c2.row.id,
    deadline: "2020-03-22",
    status: "inspected",
    // 00:30 in Paris the day after the deadline: late.
    items: [{ equipment: c2.items[0]!, receivedAt: at("2020-03-22T23:30:00Z") }],
  });
  await settleReturn(db, {
    caseId: c3.row.id,
    deadline: "2020-03-25",
    status: "cancelled",
    items: [{ equipment: c3.items[0]!, receivedAt: null }],
  });
  await settleReturn(db, {
    caseId: c6.row.id,
    deadline: "2020-03-25",
    status: "charged",
    items: [
      { equipment: c6.items[0]!, receivedAt: at("2020-03-24T10:00:00Z") },
      { equipment: c6.items[1]!, receivedAt: null },
    ],
  });

  return {
    cases: {
      c1: c1.row,
      c2: c2.row,
      c3: c3.row,
      c4: c4.row,
      c5: c5.row,
      c6: c6.row,
      c7: c7.row,
      c8: c8.row,
    },
  };
}

type CaseName = keyof Scenario["cases"];

/** The cases behind each figure of March, by name. */
const EXPECTED_SETS: Record<KpiCaseSet, CaseName[]> = {
  received: ["c1", "c2", "c3", "c4"],
  acknowledged: ["c1", "c2", "c3", "c4"],
  acknowledgedLate: ["c3", "c4"],
  ending: ["c1", "c2", "c6", "c7"],
  effectiveLate: ["c2", "c6"],
  refundsDue: ["c1", "c2", "c6"],
  refundsLate: ["c2", "c6"],
  refundsOverdue: ["c6"],
  returnsDue: ["c1", "c2", "c6"],
  returnsLate: ["c2", "c6"],
  noticesMatched: ["c7", "c8"],
  withdrawn: ["c3"],
};

const referencesOf = (scenario: Scenario, names: CaseName[]) =>
  names.map((name) => scenario.cases[name].reference).sort();

describe("the KPI services on a hand-made month", () => {
  const db = setupTestDatabase();
  let scenario: Scenario;

  beforeEach(async () => {
    scenario = await buildMarch(db, await insertOperator(db));
  });

  it("computes every figure exactly, edges included", async () => {
    const kpis = await loadComplianceKpis(db, { period: MARCH, today: "2020-04-15" });

    expect(kpis.notices.days).toHaveLength(31);
    expect(kpis.notices.total).toEqual({ day: null, cases: 4, unmatched: 4 });
    const day = (date: string) => kpis.notices.days.find((row) => row.day === date);
    // 23:30 in Paris is still the 10th (and the 31st, in summer time).
    expect(day("2020-03-10")).toEqual({ day: "2020-03-10", cases: 1, unmatched: 0 });
    expect(day("2020-03-31")).toEqual({ day: "2020-03-31", cases: 1, unmatched: 0 });
    expect(day("2020-03-05")).toEqual({ day: "2020-03-05", cases: 0, unmatched: 1 });
    expect(day("2020-03-01")).toEqual({ day: "2020-03-01", cases: 0, unmatched: 0 });

    // Acknowledgments: 0.8 s, exactly 5 s (within), 5.001 s (outside), and one not delivered.
    expect(kpis.acknowledgment.total).toEqual({
      day: null,
      notified: 4,
      delivered: 3,
      withinTarget: 2,
      upTo1s: 1,
      upTo5s: 1,
      upTo60s: 1,
      over60s: 0,
      medianMs: 5_000,
      // Continuous percentile of 800, 5000, 5001: 5000 + 0.9 × 1.
      p95Ms: 5_000.9,
    });

    expect(kpis.effective.total).toEqual({
      day: null,
      ending: 4,
      onDate: 2,
      later: 1,
      earlier: 0,
      notYet: 1,
    });
    expect(kpis.effective.days.find((row) => row.day === "2020-03-20")).toMatchObject({
      ending: 1,
      later: 1,
    });

    // Day 10 on time (twice: 23:30 on the due date, and early), day 11 late, one never paid.
    expect(kpis.refunds.total).toEqual({
      day: null,
      due: 4,
      paidOnTime: 2,
      paidLate: 1,
      unpaid: 1,
      cases: 3,
      casesLate: 2,
    });
    expect(kpis.refunds.days.find((row) => row.day === "2020-03-11")).toMatchObject({
      due: 1,
      paidOnTime: 1,
    });
    expect(kpis.refunds.days.find((row) => row.day === "2020-03-15")).toMatchObject({
      due: 1,
      paidLate: 1,
    });

    expect(kpis.returns.total).toEqual({ day: null, due: 3, onTime: 1, late: 1, incomplete: 1 });

    // Matched after 36 h and 12 h: median 24 h.
    expect(kpis.unmatched.total).toEqual({
      day: null,
      received: 4,
      matched: 2,
      rejected: 1,
      pending: 1,
      medianHoursToMatch: 24,
    });

    // Every case received in March, notice-made ones too; one withdrawn.
    expect(kpis.withdrawals.total).toEqual({ day: null, cases: 6, withdrawn: 1 });

    expect(kpis.now).toEqual({
      refundsOverdue: { refunds: 2, cases: 1, oldestDueDate: "2020-03-20" },
      noticesPending: { notices: 2, oldestReceivedAt: "2020-02-01T10:00:00.000Z" },
    });
  });

  it("lists exactly the cases behind each figure", async () => {
    for (const [set, names] of Object.entries(EXPECTED_SETS) as [KpiCaseSet, CaseName[]][]) {
      const filter = { set, period: MARCH, today: "2020-04-15" };
      const { rows } = await searchCases(db, {
        q: "",
        status: null,
        cursor: null,
        caseSet: filter,
      });
      expect(rows.map((row) => row.reference).sort(), set).toEqual(referencesOf(scenario, names));
      expect(await countCaseSet(db, filter), set).toBe(names.length);
    }
  });

  it("leaves out a deadline of today that is still running, and counts it once met", async () => {
    // On 20 March, c6's refund (due that day, unpaid) has a few hours left; c1's return (due
    // that day) is complete already and counts.
    const period = { from: "2020-03-01", to: "2020-03-20" };
    const kpis = await loadComplianceKpis(db, { period, today: "2020-03-20" });
    expect(kpis.refunds.total).toMatchObject({ due: 2, paidOnTime: 1, paidLate: 1, unpaid: 0 });
    expect(kpis.returns.total).toMatchObject({ due: 1, onTime: 1 });
    // The next day it is late.
    const after = await loadComplianceKpis(db, { period, today: "2020-03-21" });
    expect(after.refunds.total).toMatchObject({ due: 3, unpaid: 1 });
  });
});

// ---- Over HTTP, against the portal (production build, the demo data, the same month) -----------

const app = setupPortal("compliance_kpis");

/** Text as read: no tags, entities decoded, every kind of space a plain one. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}

/** The HTML of one KPI's card. */
function card(html: string, kpi: ComplianceKpi): string {
  const start = html.indexOf(`data-kpi="${kpi}"`);
  if (start < 0) throw new Error(`no card for ${kpi}`);
  return html.slice(start, html.indexOf("</section>", start));
}

/** The big figure of a card, as shown. */
function figure(html: string, kpi: ComplianceKpi): string {
  const match = /data-figure="">([^<]*)</.exec(card(html, kpi));
  return plain(match?.[1] ?? "");
}

/** The rows of a card's data table: each row's cells as text. */
function tableRows(html: string, kpi: ComplianceKpi): string[][] {
  const body = card(html, kpi).split("<tbody>")[1]!.split("</tbody>")[0]!;
  return body
    .split("</tr>")
    .filter((row) => row.includes("<t"))
    .map((row) =>
      row
        .split(/<\/t[hd]>/)
        .filter((cell) => /<t[hd]/.test(cell))
        .map((cell) => plain(cell)),
    );
}

function parseCsv(text: string): string[][] {
  // No field of these files needs quoting (dates, numbers, words without commas), except headers.
  return text
    .replace(/^\uFEFF/, "")
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));
}

/** "33,3 %" → 33.3; "1 234" → 1234; "—" → null. */
function pageNumber(cell: string): number | null {
  if (cell === "—") return null;
  return Number(cell.replace(/[\s %]/g, "").replace(",", "."));
}

describe("the KPI page, its CSV files and its links, over HTTP", () => {
  let scenario: Scenario;
  let compliance: string;
  const query = `du=${MARCH.from}&au=${MARCH.to}`;

  beforeAll(async () => {
    const [nebula] = await app.db().select().from(operators).where(eq(operators.slug, "nebula"));
    scenario = await buildMarch(app.db(), nebula!);
    // The portal's hourly job would make c6 effective (its end date passed) at some moment of the
    // run: made effective late here, so that no figure moves while the tests read them.
    await app
      .db()
      .update(cancellationCases)
      .set({ status: "effective", effectiveAt: at("2020-03-07T10:00:00Z") })
      .where(eq(cancellationCases.id, scenario.cases.c6.id));
    compliance = await signIn(app.url, "compliance@example.com");
  });

  it("shows March's figures, each with its definition", async () => {
    const response = await getPage(app.url(`/staff/conformite/indicateurs?${query}`), compliance);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(plain(html)).toContain("Du 1 mars 2020 au 31 mars 2020 (31 jours), en heure de Paris.");
    const percent = (value: number) =>
      new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 })
        .format(value)
        .replace(/\s/g, " ");
    expect(figure(html, "notices")).toBe("8");
    expect(figure(html, "acknowledgment")).toBe(percent(0.5));
    expect(figure(html, "effective")).toBe(percent(0.5));
    expect(figure(html, "refunds")).toBe(percent(0.5));
    expect(figure(html, "returns")).toBe(percent(1 / 3));
    expect(figure(html, "unmatched")).toBe("4");
    expect(figure(html, "withdrawals")).toBe("1");
    expect(plain(card(html, "refunds"))).toContain(
      "des remboursements payés à temps (2 sur 4 remboursements arrivés à échéance)",
    );
    expect(plain(card(html, "refunds"))).toContain(
      "payé le 10e jour, c’est à temps, le 11e, en retard",
    );
    expect(plain(card(html, "unmatched"))).toContain("2 rattachées (délai médian 24 h)");
    for (const kpi of Object.keys(COMPLIANCE_KPIS) as ComplianceKpi[])
      expect(plain(card(html, kpi)), kpi).toMatch(/Définition : \S/);
  });

  it("links each figure to exactly the cases it counts", async () => {
    const html = await (
      await getPage(app.url(`/staff/conformite/indicateurs?${query}`), compliance)
    ).text();
    const timeless = new Set<KpiCaseSet>(["refundsOverdue"]);
    for (const [set, names] of Object.entries(EXPECTED_SETS) as [KpiCaseSet, CaseName[]][]) {
      const href = caseSetHref(set, MARCH).replace(/&/g, "&amp;");
      expect(html, `a link to ${set}`).toContain(`href="${href}"`);
      const list = await (await getPage(app.url(caseSetHref(set, MARCH)), compliance)).text();
      const found = [
        ...list.matchAll(/<a[^>]*href="\/staff\/dossiers\/[0-9a-f-]{36}"[^>]*>(RX-[^<]+)</g),
      ]
        .map((match) => match[1]!)
        .sort();
      if (timeless.has(set)) {
        // Overdue now, whatever the period: the demo's overdue refunds are listed too.
        for (const reference of referencesOf(scenario, names)) expect(found).toContain(reference);
        continue;
      }
      expect(found, set).toEqual(referencesOf(scenario, names));
      expect(plain(list)).toContain(`${names.length} dossier${names.length > 1 ? "s" : ""}.`);
    }
  });

  it("downloads each KPI as CSV, matching the page's table, and audits the download", async () => {
    const html = await (
      await getPage(app.url(`/staff/conformite/indicateurs?${query}`), compliance)
    ).text();
    for (const [kpi, slug] of Object.entries(COMPLIANCE_KPIS) as [ComplianceKpi, string][]) {
      const response = await getPage(
        app.url(`/staff/conformite/indicateurs/${slug}/csv?${query}`),
        compliance,
      );
      expect(response.status, kpi).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(
        /^attachment; filename="indicateur-[a-z0-9-]+_du_2020-03-01_au_2020-03-31\.csv"$/,
      );
      const [header, ...rows] = parseCsv(await response.text());
      const page = tableRows(html, kpi);
      expect(rows, kpi).toHaveLength(32);
      expect(page, kpi).toHaveLength(32);
      expect(rows[0]![0]).toBe("2020-03-01");
      expect(rows[31]![0]).toBe("Total");
      expect(header!.length).toBe(page[0]!.length);
      rows.forEach((row, index) => {
        row.slice(1).forEach((value, column) => {
          const shown = page[index]![column + 1]!;
          // Durations are rounded for reading on the page: compared in the service test.
          if (/ (s|min|h|j)$/.test(shown)) return;
          expect(value === "" ? null : Number(value), `${kpi} row ${index} col ${column}`).toBe(
            pageNumber(shown),
          );
        });
      });
    }
    // The refunds file, in full for the days that matter.
    const refunds = parseCsv(
      await (
        await getPage(
          app.url(`/staff/conformite/indicateurs/remboursements/csv?${query}`),
          compliance,
        )
      ).text(),
    );
    expect(refunds[0]).toEqual([
      "Échéance légale",
      "Remboursements échus",
      "Payés à temps",
      "Part payée à temps (%)",
      "Payés en retard",
      "Pas encore payés",
    ]);
    expect(refunds.find((row) => row[0] === "2020-03-11")).toEqual([
      "2020-03-11",
      "1",
      "1",
      "100",
      "0",
      "0",
    ]);
    expect(refunds.find((row) => row[0] === "2020-03-15")).toEqual([
      "2020-03-15",
      "1",
      "0",
      "0",
      "1",
      "0",
    ]);
    expect(refunds.at(-1)).toEqual(["Total", "4", "2", "50", "1", "1"]);
    const ack = parseCsv(
      await (
        await getPage(
          app.url(`/staff/conformite/indicateurs/accuse-de-reception/csv?${query}`),
          compliance,
        )
      ).text(),
    );
    expect(ack.at(-1)).toEqual(["Total", "4", "3", "2", "50", "5", "5.001"]);

    // Each download is an audit event of the compliance officer's own chain.
    const [officer] = await app
      .db()
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.email, "compliance@example.com"));
    const exported = await app
      .db()
      .select({ data: auditEvents.data, stream: auditEvents.stream })
      .from(auditEvents)
      .where(and(eq(auditEvents.type, "kpi.exported"), eq(auditEvents.actorId, officer!.id)));
    expect(exported).toContainEqual({
      stream: `staff:${officer!.id}`,
      data: { kpi: "remboursements", from: "2020-03-01", to: "2020-03-31" },
    });
  });

  it("refuses operations and agents, page and CSV", async () => {
    for (const email of ["ops@example.com", "agent@example.com"]) {
      const cookie = await signIn(app.url, email);
      expect((await getPage(app.url("/staff/conformite/indicateurs"), cookie)).status).toBe(403);
      expect(
        (await getPage(app.url("/staff/conformite/indicateurs/retraits/csv"), cookie)).status,
      ).toBe(403);
    }
    const admin = await signIn(app.url, "admin@example.com");
    expect((await getPage(app.url("/staff/conformite/indicateurs"), admin)).status).toBe(200);
  });

  it("defaults to the last 8 weeks, and explains a period it cannot show", async () => {
    const html = await (await getPage(app.url("/staff/conformite/indicateurs"), compliance)).text();
    expect(plain(html)).toMatch(/\(56 jours\), en heure de Paris\./);
    const backwards = plain(
      await (
        await getPage(
          app.url("/staff/conformite/indicateurs?du=2020-03-31&au=2020-03-01"),
          compliance,
        )
      ).text(),
    );
    expect(backwards).toContain("Le début de la période doit précéder sa fin.");
    expect(backwards).not.toContain("Avis de résiliation reçus par jour");
    const future = plain(
      await (
        await getPage(app.url("/staff/conformite/indicateurs?au=2999-01-01"), compliance)
      ).text(),
    );
    expect(future).toContain("La fin de la période ne peut pas être après aujourd’hui.");
    const long = plain(
      await (
        await getPage(
          app.url("/staff/conformite/indicateurs?du=2019-01-01&au=2020-03-01"),
          compliance,
        )
      ).text(),
    );
    expect(long).toContain("La période ne peut pas dépasser un an (366 jours).");
    // A link to the cases with an unknown set says so and lists every case.
    const cases = plain(
      await (await getPage(app.url("/staff/dossiers?indicateur=nimporte-quoi"), compliance)).text(),
    );
    expect(cases).toContain("Ce lien vers les dossiers d’un indicateur n’est pas valide");
  });

  it("shows compliance the two urgent figures on the staff home", async () => {
    const html = plain(await (await getPage(app.url("/staff"), compliance)).text());
    const kpis = await loadComplianceKpis(app.db(), {
      period: MARCH,
      today: dateInZone(new Date(), "Europe/Paris"),
    });
    const { refunds } = kpis.now.refundsOverdue;
    const { notices } = kpis.now.noticesPending;
    expect(html).toContain(`${refunds} remboursement${refunds > 1 ? "s" : ""} en retard`);
    expect(html).toContain(`${notices} demande${notices > 1 ? "s" : ""} à rattacher en attente`);
    expect(html).toContain("Indicateurs des délais légaux");
  });
});

// The case sets' slugs are part of the links' URLs: keep them stable.
it("names every case set with its own slug", () => {
  expect(new Set(Object.values(KPI_CASE_SETS)).size).toBe(Object.keys(KPI_CASE_SETS).length);
});
