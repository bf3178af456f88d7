import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ANALYTICS_CHARTS,
  analyticsPeriod,
  surveyTotals,
  type AnalyticsChart,
} from "../../app/domain/analytics";
import { addDays, dateInZone, type IsoDate } from "../../app/domain/dates";
import type {
  CaseStatus,
  CONTRACT_CATEGORIES,
  EXIT_REASONS,
  WinbackStatus,
} from "../../app/domain/enums";
import { translate } from "../../app/i18n/i18n";
import { refreshAnalytics } from "../../app/services/analytics/refresh-analytics.server";
import { loadAnalyticsDashboard } from "../../app/services/analytics/load-analytics-dashboard.server";
import { offers, surveyResponses, winbackItems, type Offer, type Operator } from "../../db/schema";
import { insertCase, insertContract, insertOperator, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { getPage, signIn } from "../setup/staff-http";
import { setupTestDatabase } from "../setup/test-db";

// Issue #7, part 4: the analytics rollups and dashboard. A small data set whose every figure is
// known by hand, then the page and its CSV files over HTTP against the real portal.

const db = setupTestDatabase();

type Reason = (typeof EXIT_REASONS)[number];
type Category = (typeof CONTRACT_CATEGORIES)[number];

/** Wednesday 25 November 2026: the current week starts on Monday 23 (Europe/Paris). */
const NOW = new Date("2026-11-25T12:00:00Z");
const W1 = "2026-11-09";
const W2 = "2026-11-16";
const W3 = "2026-11-23";

interface CaseSpec {
  region: string | null;
  /** The case's contracts: the first one to start gives the product and the tenure. */
  contracts: { category: Category; start: IsoDate }[];
  receivedAt: string;
  status?: CaseStatus;
  survey?: { reason: Reason; consent: boolean; at: string };
  item?: {
    queue: "offers" | "service_recovery";
    status: WinbackStatus;
    at: string;
    slaHours: number;
    firstContactAt?: string;
    offer?: "loyalty" | "data";
  };
}

// Paris is UTC+1 in November. Tenures are whole months from the first contract's start to the
// receipt date in Paris.
const CASES: Record<string, CaseSpec> = {
  // Internet (2020) before mobile (2024): product internet, tenure 81 months (36+).
  c1: {
    region: "Bretagne",
    contracts: [
      { category: "mobile", start: "2024-06-01" },
      { category: "internet", start: "2020-01-15" },
    ],
    receivedAt: "2026-11-10T09:00:00Z",
    survey: { reason: "price", consent: true, at: "2026-11-10T09:05:00Z" },
    item: {
      queue: "offers",
      status: "won_back",
      at: "2026-11-10T09:05:00Z",
      slaHours: 48,
      firstContactAt: "2026-11-10T11:05:00Z", // 120 min
      offer: "loyalty",
    },
  },
  // 8 months; no consent: no item.
  c2: {
    region: "Bretagne",
    contracts: [{ category: "mobile", start: "2026-03-01" }],
    receivedAt: "2026-11-12T10:00:00Z",
    survey: { reason: "competitor", consent: false, at: "2026-11-12T10:10:00Z" },
  },
  // 17 months (20 May → 17 November).
  c3: {
    region: "Occitanie",
    contracts: [{ category: "bundle", start: "2025-05-20" }],
    receivedAt: "2026-11-17T08:00:00Z",
    survey: { reason: "price", consent: true, at: "2026-11-17T08:05:00Z" },
    item: {
      queue: "offers",
      status: "declined",
      at: "2026-11-17T08:05:00Z",
      slaHours: 48,
      firstContactAt: "2026-11-20T08:05:00Z", // 4320 min: after its 48 h
      offer: "loyalty",
    },
  },
  // Received Sunday 22 November 23:00 and answered 23:30, Paris time: week W2, not W3.
  // 33 months; region unknown; an open item never contacted.
  c4: {
    region: null,
    contracts: [{ category: "tv", start: "2024-02-10" }],
    receivedAt: "2026-11-22T22:00:00Z",
    survey: { reason: "outages", consent: true, at: "2026-11-22T22:30:00Z" },
    item: { queue: "service_recovery", status: "new", at: "2026-11-22T22:30:00Z", slaHours: 24 },
  },
  // No survey answer: counts among the cases, not the answers.
  c5: {
    region: "Occitanie",
    contracts: [{ category: "internet", start: "2023-11-22" }],
    receivedAt: "2026-11-24T10:00:00Z",
  },
  // Withdrawn: the subscriber stayed. Out of the cases and the exit reasons; its win-back item
  // still counts (an agent's call may be why the subscriber withdrew).
  c6: {
    region: "Bretagne",
    contracts: [{ category: "internet", start: "2022-01-01" }],
    receivedAt: "2026-11-18T10:00:00Z",
    status: "withdrawn",
    survey: { reason: "price", consent: true, at: "2026-11-18T10:00:00Z" },
    item: {
      queue: "offers",
      status: "won_back",
      at: "2026-11-18T10:00:00Z",
      slaHours: 48,
      firstContactAt: "2026-11-18T10:30:00Z", // 30 min
      offer: "data",
    },
  },
  // 11 months and 20 days: still under a year. Closed without an offer.
  c7: {
    region: "Occitanie",
    contracts: [{ category: "mobile", start: "2025-11-30" }],
    receivedAt: "2026-11-19T12:00:00Z",
    survey: { reason: "outages", consent: true, at: "2026-11-19T12:05:00Z" },
    item: {
      queue: "service_recovery",
      status: "no_answer",
      at: "2026-11-19T12:05:00Z",
      slaHours: 24,
      firstContactAt: "2026-11-19T13:05:00Z", // 60 min
    },
  },
  // Received Monday 23 November 00:20 and answered 00:30, Paris time (Sunday in UTC): week W3,
  // and exactly 12 months of tenure on the Paris date (11 on the UTC one).
  c8: {
    region: "Bretagne",
    contracts: [{ category: "internet", start: "2025-11-23" }],
    receivedAt: "2026-11-22T23:20:00Z",
    survey: { reason: "price", consent: true, at: "2026-11-22T23:30:00Z" },
    item: {
      queue: "offers",
      status: "contacted",
      at: "2026-11-22T23:35:00Z",
      slaHours: 48,
      firstContactAt: "2026-11-23T01:05:00Z", // 90 min
    },
  },
  // January: outside the last 12 weeks, inside the last 52.
  c9: {
    region: "Bretagne",
    contracts: [{ category: "internet", start: "2019-06-01" }],
    receivedAt: "2026-01-05T10:00:00Z",
    survey: { reason: "moving", consent: false, at: "2026-01-05T10:05:00Z" },
  },
};

async function insertOffers(operator: Operator): Promise<Record<"loyalty" | "data", Offer>> {
  const rows = await db
    .insert(offers)
    .values([
      {
        operatorId: operator.id,
        code: "LOYAL-6M",
        name: "Remise fidélité 6 mois",
        description: "-20 % pendant 6 mois.",
      },
      {
        operatorId: operator.id,
        code: "DATA-X2",
        name: "Data doublée",
        description: "Le double de data au même prix.",
      },
    ])
    .returning();
  return { loyalty: rows[0]!, data: rows[1]! };
}

const closed = (status: WinbackStatus) => !["new", "claimed", "contacted"].includes(status);

async function insertDataSet(): Promise<void> {
  const operator = await insertOperator(db);
  const offerRows = await insertOffers(operator);
  for (const spec of Object.values(CASES)) {
    const subscriber = await insertSubscriber(db, { operatorId: operator.id, region: spec.region });
    const contracts = [];
    for (const contract of spec.contracts)
      contracts.push(
        await insertContract(db, {
          operatorId: operator.id,
          subscriberId: subscriber.id,
          category: contract.category,
          startDate: contract.start,
        }),
      );
    const receivedAt = new Date(spec.receivedAt);
    const { case: row } = await insertCase(db, {
      operatorId: operator.id,
      subscriber,
      contracts,
      receivedAt,
      effectiveEndDate: addDays(dateInZone(receivedAt, "Europe/Paris"), 30),
      status: spec.status ?? "received",
    });
    if (!spec.survey) continue;
    const [survey] = await db
      .insert(surveyResponses)
      .values({
        caseId: row.id,
        reason: spec.survey.reason,
        contactConsent: spec.survey.consent,
        contactChannel: spec.survey.consent ? "phone" : null,
        contactWindow: spec.survey.consent ? "any" : null,
        createdAt: new Date(spec.survey.at),
      })
      .returning();
    const { item } = spec;
    if (!item) continue;
    const createdAt = new Date(item.at);
    await db.insert(winbackItems).values({
      caseId: row.id,
      surveyResponseId: survey!.id,
      subscriberId: subscriber.id,
      queue: item.queue,
      priority: 50,
      status: item.status,
      slaDueAt: new Date(createdAt.getTime() + item.slaHours * 3_600_000),
      offerId: item.offer ? offerRows[item.offer].id : null,
      firstContactAt: item.firstContactAt ? new Date(item.firstContactAt) : null,
      closedAt: closed(item.status) ? new Date(createdAt.getTime() + 5 * 86_400_000) : null,
      closeReason: closed(item.status)
        ? item.status === "no_answer"
          ? "attempt_limit"
          : "outcome"
        : null,
      createdAt,
    });
  }
}

const counts = (values: Partial<Record<Reason, number>>) => ({
  price: 0,
  competitor: 0,
  outages: 0,
  speed: 0,
  moving: 0,
  customer_service: 0,
  no_longer_needed: 0,
  other: 0,
  ...values,
});

describe("the analytics rollups, read for a period", () => {
  const period = analyticsPeriod(12, NOW);

  beforeEach(async () => {
    await insertDataSet();
    await refreshAnalytics(db);
  });

  it("take the last 12 weeks, Monday to Sunday in Paris, the current one included", () => {
    expect(period).toEqual({ weeks: 12, from: "2026-09-07", to: W3 });
  });

  it("count exit reasons per week of answering, Paris weeks, withdrawn cases left out", async () => {
    const { reasonsWeekly } = await loadAnalyticsDashboard(db, period);
    expect(reasonsWeekly).toHaveLength(12);
    expect(reasonsWeekly[0]).toEqual({ key: "2026-09-07", counts: counts({}), total: 0 });
    const nonEmpty = reasonsWeekly.filter((week) => week.total > 0);
    expect(nonEmpty).toEqual([
      { key: W1, counts: counts({ price: 1, competitor: 1 }), total: 2 },
      // c4 answered on Sunday 23:30 in Paris: still W2. c6 (withdrawn) is not here.
      { key: W2, counts: counts({ price: 1, outages: 2 }), total: 3 },
      // c8 answered on Monday 00:30 in Paris (Sunday 23:30 UTC): W3.
      { key: W3, counts: counts({ price: 1 }), total: 1 },
    ]);
  });

  it("count exit reasons per product (first contract), tenure band and region", async () => {
    const dashboard = await loadAnalyticsDashboard(db, period);
    expect(dashboard.byProduct).toEqual([
      { key: "internet", counts: counts({ price: 2 }), total: 2 },
      { key: "mobile", counts: counts({ competitor: 1, outages: 1 }), total: 2 },
      { key: "tv", counts: counts({ outages: 1 }), total: 1 },
      { key: "bundle", counts: counts({ price: 1 }), total: 1 },
    ]);
    expect(dashboard.byTenure).toEqual([
      { key: "0-11", counts: counts({ competitor: 1, outages: 1 }), total: 2 },
      { key: "12-23", counts: counts({ price: 2 }), total: 2 },
      { key: "24-35", counts: counts({ outages: 1 }), total: 1 },
      { key: "36+", counts: counts({ price: 1 }), total: 1 },
    ]);
    expect(dashboard.byRegion).toEqual([
      { key: "Bretagne", counts: counts({ price: 2, competitor: 1 }), total: 3 },
      { key: "Occitanie", counts: counts({ price: 1, outages: 1 }), total: 2 },
      { key: null, counts: counts({ outages: 1 }), total: 1 },
    ]);
  });

  it("give the share of surveys answered and the consent rate per week of receipt", async () => {
    const { surveys } = await loadAnalyticsDashboard(db, period);
    expect(surveys.filter((week) => week.cases > 0)).toEqual([
      { week: W1, cases: 2, answered: 2, withConsent: 1 },
      { week: W2, cases: 3, answered: 3, withConsent: 3 },
      { week: W3, cases: 2, answered: 1, withConsent: 1 },
    ]);
    // 6 answered of 7 cases (withdrawn c6 left out); 5 of the 6 answers agreed.
    expect(surveyTotals(surveys)).toEqual({ cases: 7, answered: 6, withConsent: 5 });
  });

  it("give the win-back rate by queue and by offer made, over the items closed", async () => {
    const { byQueue, byOffer } = await loadAnalyticsDashboard(db, period);
    expect(byQueue).toEqual([
      { queue: "offers", items: 4, closed: 3, wonBack: 2 },
      { queue: "service_recovery", items: 2, closed: 1, wonBack: 0 },
      { queue: "new_address", items: 0, closed: 0, wonBack: 0 },
      { queue: "apology", items: 0, closed: 0, wonBack: 0 },
    ]);
    expect(
      byOffer.map(({ code, name, closed, wonBack }) => ({ code, name, closed, wonBack })),
    ).toEqual([
      { code: "DATA-X2", name: "Data doublée", closed: 1, wonBack: 1 },
      { code: "LOYAL-6M", name: "Remise fidélité 6 mois", closed: 2, wonBack: 1 },
      { code: null, name: null, closed: 1, wonBack: 0 },
    ]);
  });

  it("give the median time to first contact and the contacts within the SLA, per queue", async () => {
    const { firstContact } = await loadAnalyticsDashboard(db, period);
    expect(firstContact).toEqual([
      // 30, 90, 120 and 4320 minutes: the median is (90 + 120) / 2 = 105 min; 4320 was late.
      {
        queue: "offers",
        items: 4,
        contacted: 4,
        medianHours: 1.75,
        withinSla: 3,
        notContacted: 0,
      },
      // c4's item was never contacted: out of the median, counted as not contacted.
      {
        queue: "service_recovery",
        items: 2,
        contacted: 1,
        medianHours: 1,
        withinSla: 1,
        notContacted: 1,
      },
      {
        queue: "new_address",
        items: 0,
        contacted: 0,
        medianHours: null,
        withinSla: 0,
        notContacted: 0,
      },
      {
        queue: "apology",
        items: 0,
        contacted: 0,
        medianHours: null,
        withinSla: 0,
        notContacted: 0,
      },
    ]);
  });

  it("take in older weeks over a longer period, and nothing before its first Monday", async () => {
    const year = await loadAnalyticsDashboard(db, analyticsPeriod(52, NOW));
    expect(year.period.from).toBe("2025-12-01");
    expect(year.reasonsWeekly.find((week) => week.key === "2026-01-05")?.counts.moving).toBe(1);
    expect(year.reasonsWeekly.reduce((sum, week) => sum + week.total, 0)).toBe(7);
    const ended = await loadAnalyticsDashboard(
      db,
      analyticsPeriod(12, new Date("2026-11-08T22:59:00Z")),
    );
    // Sunday 8 November 23:59 in Paris: the weeks of W1 and later are not in that period yet.
    expect(ended.reasonsWeekly.reduce((sum, week) => sum + week.total, 0)).toBe(0);
  });

  it("rebuild from scratch each time, and record when", async () => {
    await db.delete(winbackItems);
    const run = await refreshAnalytics(db);
    const dashboard = await loadAnalyticsDashboard(db, period);
    expect(dashboard.byQueue.every((queue) => queue.items === 0)).toBe(true);
    expect(dashboard.refreshedAt?.getTime()).toBe(run.refreshedAt.getTime());
  });
});

describe("an empty database", () => {
  it("gives every week with zeros, and no refresh time before the first refresh", async () => {
    const period = analyticsPeriod(12, NOW);
    const before = await loadAnalyticsDashboard(db, period);
    expect(before.refreshedAt).toBeNull();
    await refreshAnalytics(db);
    const after = await loadAnalyticsDashboard(db, period);
    expect(after.refreshedAt).not.toBeNull();
    expect(after.reasonsWeekly).toHaveLength(12);
    expect(after.reasonsWeekly.every((week) => week.total === 0)).toBe(true);
    expect(surveyTotals(after.surveys)).toEqual({ cases: 0, answered: 0, withConsent: 0 });
    expect(after.byOffer).toEqual([]);
    expect(after.firstContact.every((queue) => queue.medianHours === null)).toBe(true);
  });
});

// ---- Over HTTP: the dashboard and its CSV files on the seeded portal -------------------------

const app = setupPortal("analytics");
let agent: string;
let ops: string;

beforeAll(async () => {
  // The figures as of now (the seed and the start-up job refreshed already; once more is cheap).
  await refreshAnalytics(app.db());
  agent = await signIn(app.url, "agent@example.com");
  ops = await signIn(app.url, "ops@example.com");
});

/**
 * Parses our CSV (a UTF-8 byte order mark, then RFC 4180 with CRLF): rows of fields. Read as
 * bytes: `response.text()` would drop the mark unseen.
 */
async function parseCsv(response: Response): Promise<string[][]> {
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)], "UTF-8 byte order mark").toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at]!;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[at + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      at += 1;
    } else field += char;
  }
  expect(field, "the file ends with CRLF").toBe("");
  return rows;
}

describe("the analytics page over HTTP", () => {
  it("shows an agent the exit reasons chart with its table and CSV link", async () => {
    const response = await getPage(app.url("/staff/analyse"), agent);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Motifs de départ par semaine");
    expect(html).toMatch(/<svg class="chart"[^>]*role="img"[^>]*data-chart="svg-reasons-week"/);
    expect(html).toContain('<caption id="table-reasons-week-caption">');
    expect(html).toContain('href="/staff/analyse/motifs/csv?semaines=52"');
  });

  it.each(Object.entries(ANALYTICS_CHARTS) as [AnalyticsChart, string][])(
    "downloads the %s chart as CSV, headed in the reader's language",
    async (chart, slug) => {
      const response = await getPage(app.url(`/staff/analyse/${slug}/csv?semaines=26`), agent);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(
        /^attachment; filename="[a-z-]+_du_\d{4}-\d{2}-\d{2}_au_\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const rows = await parseCsv(response);
      const first = rows[0]![0];
      const expected: Record<AnalyticsChart, string> = {
        reasonsByWeek: "Semaine du",
        reasonsByProduct: "Produit",
        reasonsByTenure: "Ancienneté",
        reasonsByRegion: "Région",
        surveys: "Semaine du",
        winbackByQueue: "File",
        winbackByOffer: "Offre proposée",
        firstContact: "File",
      };
      expect(first).toBe(expected[chart]);
      // Every row has the header's number of fields.
      for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
    },
  );

  it("writes the CSV in English for a reader of the English back office", async () => {
    const response = await getPage(app.url("/staff/analyse/motifs/csv"), `${agent}; lang=en`);
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="exit-reasons-by-week_\d{4}-\d{2}-\d{2}_to_\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header] = await parseCsv(response);
    expect(header).toEqual([
      "Week of",
      ...(
        [
          "price",
          "competitor",
          "outages",
          "speed",
          "moving",
          "customer_service",
          "no_longer_needed",
          "other",
        ] as const
      ).map((reason) => translate("en", `staff.analytics.reason.${reason}`)),
      "Total",
    ]);
  });

  it("has a reasons-by-week CSV that matches the database", async () => {
    const response = await getPage(app.url("/staff/analyse/motifs/csv?semaines=52"), agent);
    const [header, ...rows] = await parseCsv(response);
    expect(rows).toHaveLength(52);
    const reasons = (
      [
        "price",
        "competitor",
        "outages",
        "speed",
        "moving",
        "customer_service",
        "no_longer_needed",
        "other",
      ] as const
    ).map((reason) => ({
      reason,
      column: header!.indexOf(translate("fr", `staff.analytics.reason.${reason}`)),
    }));
    expect(reasons.every(({ column }) => column > 0)).toBe(true);
    const from = rows[0]![0]!;
    const to = rows.at(-1)![0]!;
    // Straight from the answers: Monday-to-Sunday weeks in Paris, withdrawn cases left out.
    const found = await app.db().execute<{ week: string; reason: Reason; answers: number }>(sql`
      select date_trunc('week', s.created_at at time zone 'Europe/Paris')::date::text as week,
        s.reason, count(*)::int as answers
      from survey_response s join cancellation_case c on c.id = s.case_id
      where c.status <> 'withdrawn'
        and (s.created_at at time zone 'Europe/Paris')::date between ${from}::date and ${to}::date + 6
      group by 1, 2
    `);
    const expected = new Map(found.map((row) => [`${row.week} ${row.reason}`, row.answers]));
    let total = 0;
    for (const row of rows) {
      for (const { reason, column } of reasons) {
        expect(Number(row[column]), `${row[0]} ${reason}`).toBe(
          expected.get(`${row[0]} ${reason}`) ?? 0,
        );
        total += Number(row[column]);
      }
    }
    expect(total).toBe(found.reduce((sum, row) => sum + row.answers, 0));
    // The demo data tell a story: there are answers to match.
    expect(total).toBeGreaterThan(0);
  });

  it("refuses operations the page and the CSV files", async () => {
    for (const path of ["/staff/analyse", "/staff/analyse/motifs/csv"]) {
      const response = await getPage(app.url(path), ops);
      expect(response.status, path).toBe(403);
    }
  });

  it("answers 404 for a chart that does not exist", async () => {
    const response = await getPage(app.url("/staff/analyse/inconnu/csv"), agent);
    expect(response.status).toBe(404);
  });
});
