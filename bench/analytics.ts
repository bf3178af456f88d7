// Retention analytics at scale (issue #7: "1 million survey answers answer in under a second").
// In a fresh database — an embedded Postgres in a temporary folder, or a new database on the
// DATABASE_URL server — generates 1 million cancellation cases, each with its subscriber,
// contract(s) and survey answer, spread over the last year, plus the win-back items of the
// answers that agreed to be contacted; then times one `refreshAnalytics` (the 5-minute job) and
// `loadAnalyticsDashboard` (every query of the page) for 12, 26 and 52 weeks.
// Run alone with `npx tsx bench/analytics.ts` (ANALYTICS_BENCH_ANSWERS=100000 for a quick try);
// bench/index.ts calls benchAnalytics().
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { analyticsPeriod, PERIOD_WEEKS, type PeriodWeeks } from "../app/domain/analytics";
import { loadAnalyticsDashboard } from "../app/services/analytics/load-analytics-dashboard.server";
import { refreshAnalytics } from "../app/services/analytics/refresh-analytics.server";
import { createDatabaseClient } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { runMigrations } from "../db/migrate";

const ANSWERS = Number(process.env.ANALYTICS_BENCH_ANSWERS ?? 1_000_000);
const WARM_UPS = 2;
const RUNS = 20;

export interface AnalyticsBench {
  answers: number;
  cases: number;
  winbackItems: number;
  rollupRows: Record<string, number>;
  generateMs: number;
  refreshMs: number;
  dashboard: { weeks: PeriodWeeks; medianMs: number; p95Ms: number }[];
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** A database of our own, dropped (or its whole server removed) by `drop()`. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `easyexit_bench_${process.pid}`;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "easyexit-bench-pg-"));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: name });
  return {
    url: embedded.url,
    drop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const REGIONS = [
  "Île-de-France",
  "Auvergne-Rhône-Alpes",
  "Provence-Alpes-Côte d'Azur",
  "Occitanie",
  "Hauts-de-France",
  "Nouvelle-Aquitaine",
  "Grand Est",
  "Pays de la Loire",
  "Bretagne",
  "Normandie",
  "Bourgogne-Franche-Comté",
  "Centre-Val de Loire",
  "Corse",
];

/**
 * Set-based generation (generate_series), one statement per table. Row ids derive from the row
 * number (md5 → uuid) so that the tables join without lookups; `setseed` makes it repeatable.
 * Case i was received i × 7919 minutes (mod one year) before now; its first contract started
 * 0 to 96 months earlier; one subscriber in four has a second, later contract; 3 % of cases are
 * withdrawn; 30 % of answers agree to be contacted.
 */
export async function generateAnalyticsData(
  sql: postgres.Sql,
  answers: number,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const n = answers;
  let mark = performance.now();
  const step = (what: string) => {
    log(`  ${what}: ${((performance.now() - mark) / 1000).toFixed(1)} s`);
    mark = performance.now();
  };
  await sql`select setseed(0.2026)`;
  const [operator] = await sql<{ id: string }[]>`
    insert into operator (slug, legal_name, display_name, address_line1, postal_code, city, country,
      registration_number, jurisdiction, default_language, support_email, return_methods, return_address)
    values ('nebula', 'Nébula Télécom SAS', 'Nébula Télécom', '12 rue des Étoiles', '75011', 'Paris',
      'FR', 'RCS Paris 912 345 678', 'FR', 'fr', 'resiliation@nebula-telecom.example',
      '{relay_point,post_office}', 'Service retours, 93200 Saint-Denis')
    returning id`;
  const op = operator!.id;
  await sql`
    insert into offer (operator_id, code, name, description) values
      (${op}, 'FIBRE-6M-HALF', 'Fibre à moitié prix 6 mois', '-50 % pendant 6 mois'),
      (${op}, 'MOBILE-DATA-X2', 'Data doublée', 'Le double de data'),
      (${op}, 'TECH-PRIORITY', 'Technicien prioritaire', 'Technicien sous 48 h')`;
  step("offers");

  await sql`
    insert into subscriber (id, operator_id, customer_number, first_name, last_name, name_key, email, region)
    select md5('s' || i)::uuid, ${op}, 'B' || i, 'Camille', 'Bench' || i, 'camille bench' || i,
      'bench' || i || '@example.com',
      case when i % 20 = 0 then null else (${REGIONS}::text[])[1 + (i * 31) % ${REGIONS.length}] end
    from generate_series(1, ${n}) i`;
  step("subscribers");

  // The receipt instant of case i, used by every table below.
  const received = sql`(now() - ((i::bigint * 7919) % 525600) * interval '1 minute')`;
  await sql`
    insert into contract (id, operator_id, subscriber_id, contract_number, offer_name, category,
      jurisdiction, monthly_price_cents, start_date, status)
    select md5('k' || i)::uuid, ${op}, md5('s' || i)::uuid, 'B-' || i, 'Offre ' || (i % 7),
      (array['internet', 'mobile', 'tv', 'bundle'])[1 + (i * 13) % 4], 'FR', 1999 + (i % 40) * 100,
      ((${received} at time zone 'Europe/Paris')::date - ((i::bigint * 104729) % 97) * interval '1 month')::date,
      'terminated'
    from generate_series(1, ${n}) i`;
  step("contracts");
  await sql`
    insert into contract (id, operator_id, subscriber_id, contract_number, offer_name, category,
      jurisdiction, monthly_price_cents, start_date, status)
    select md5('k2-' || i)::uuid, ${op}, md5('s' || i)::uuid, 'B2-' || i, 'Option ' || (i % 5),
      (array['mobile', 'tv', 'internet', 'bundle'])[1 + (i * 7) % 4], 'FR', 999,
      ((${received} at time zone 'Europe/Paris')::date - ((i::bigint * 104729) % 97) * interval '1 month'
        + interval '2 months')::date,
      'terminated'
    from generate_series(4, ${n}, 4) i`;
  step("second contracts");

  await sql`
    insert into cancellation_case (id, operator_id, reference, subscriber_id, jurisdiction, language,
      received_at, effective_end_date, termination_type, status, acknowledgment_email,
      access_token_hash, idempotency_key, withdrawn_at)
    select md5('c' || i)::uuid, ${op}, 'RX-B' || i, md5('s' || i)::uuid, 'FR', 'fr',
      ${received}, ((${received} at time zone 'Europe/Paris')::date + 30), 'ordinary',
      case when i % 33 = 0 then 'withdrawn' when ${received} > now() - interval '30 days' then 'received'
        else 'effective' end,
      'bench' || i || '@example.com', encode(sha256(('c' || i)::bytea), 'hex'), 'bench-' || i,
      case when i % 33 = 0 then ${received} + interval '1 day' end
    from generate_series(1, ${n}) i`;
  step("cases");
  await sql`
    insert into case_contract (case_id, contract_id, open)
    select md5('c' || i)::uuid, md5('k' || i)::uuid, false from generate_series(1, ${n}) i
    union all
    select md5('c' || i)::uuid, md5('k2-' || i)::uuid, false from generate_series(4, ${n}, 4) i`;
  step("case_contract");

  // Reasons: price 22 %, competitor 18 %, outages 10 %, speed 8 %, moving 12 %,
  // customer service 10 %, no longer needed 12 %, other 8 %.
  await sql`
    insert into survey_response (id, case_id, reason, would_come_back, contact_consent,
      contact_channel, contact_window, created_at)
    select md5('r' || i)::uuid, md5('c' || i)::uuid,
      case when p < 0.22 then 'price' when p < 0.40 then 'competitor' when p < 0.50 then 'outages'
        when p < 0.58 then 'speed' when p < 0.70 then 'moving' when p < 0.80 then 'customer_service'
        when p < 0.92 then 'no_longer_needed' else 'other' end,
      (i % 11)::smallint, consent,
      case when consent then (array['phone', 'email', 'sms'])[1 + i % 3] end,
      case when consent then (array['morning', 'afternoon', 'evening', 'any'])[1 + i % 4] end,
      ${received} + (i % 30) * interval '1 minute'
    from (select i, random() as p, random() < 0.30 as consent from generate_series(1, ${n}) i) g`;
  step("survey answers");

  // Win-back items of the answers with consent whose reason has a queue. Items older than 30
  // days are closed: won back 22 %, declined 35 %, no answer 25 %, expired 10 %, stop 8 %.
  await sql`
    insert into winback_item (case_id, survey_response_id, subscriber_id, queue, priority, status,
      sla_due_at, offer_id, first_contact_at, closed_at, close_reason, created_at)
    select case_id, id, subscriber_id, queue, 50, status, created_at + interval '48 hours',
      case when status in ('won_back', 'declined') and queue = 'offers' and q < 0.7
        then offer_ids[1 + floor(q * 10)::int % 3] end,
      case when status not in ('new', 'expired') then created_at + q * interval '72 hours' end,
      case when status not in ('new', 'claimed', 'contacted') then created_at + interval '3 days' end,
      case status when 'won_back' then 'outcome' when 'declined' then 'outcome'
        when 'no_answer' then 'attempt_limit' when 'expired' then 'expired'
        when 'do_not_contact' then 'suppressed' end,
      created_at
    from (
      select g.*,
        case when recent then (array['new', 'contacted', 'contacted'])[1 + floor(r * 3)::int]
          when r < 0.22 then 'won_back' when r < 0.57 then 'declined' when r < 0.82 then 'no_answer'
          when r < 0.92 then 'expired' else 'do_not_contact' end as status
      from (
        select s.id, s.case_id, c.subscriber_id, s.created_at + interval '1 second' as created_at,
          s.created_at > now() - interval '30 days' as recent, random() as q, random() as r,
          case s.reason when 'price' then 'offers' when 'competitor' then 'offers'
            when 'outages' then 'service_recovery' when 'speed' then 'service_recovery'
            when 'moving' then 'new_address' when 'customer_service' then 'apology' end as queue
        from survey_response s join cancellation_case c on c.id = s.case_id
        where s.contact_consent
          and s.reason in ('price', 'competitor', 'outages', 'speed', 'moving', 'customer_service')
      ) g
    ) items
    cross join (select array_agg(id order by code) as offer_ids from offer) o`;
  step("win-back items");
  await sql`analyze`;
  step("analyze");
}

async function count(sql: postgres.Sql, table: string): Promise<number> {
  const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`);
  return row!.n;
}

export async function benchAnalytics(
  options: { answers?: number; log?: (line: string) => void } = {},
): Promise<AnalyticsBench> {
  const answers = options.answers ?? ANSWERS;
  const log = options.log ?? (() => undefined);
  const database = await freshDatabase();
  try {
    await runMigrations(database.url);
    const client = createDatabaseClient(database.url);
    try {
      log(`analytics: generating ${answers.toLocaleString("en")} survey answers…`);
      const generateStart = performance.now();
      await generateAnalyticsData(client.sql, answers, log);
      const generateMs = performance.now() - generateStart;

      const refreshStart = performance.now();
      await refreshAnalytics(client.db);
      const refreshMs = performance.now() - refreshStart;

      const now = new Date();
      const dashboard: AnalyticsBench["dashboard"] = [];
      for (const weeks of PERIOD_WEEKS) {
        const period = analyticsPeriod(weeks, now);
        for (let run = 0; run < WARM_UPS; run += 1) await loadAnalyticsDashboard(client.db, period);
        const times: number[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          const start = performance.now();
          await loadAnalyticsDashboard(client.db, period);
          times.push(performance.now() - start);
        }
        times.sort((a, b) => a - b);
        dashboard.push({
          weeks,
          medianMs: percentile(times, 0.5),
          p95Ms: percentile(times, 0.95),
        });
      }

      const rollupRows: Record<string, number> = {};
      for (const table of [
        "survey_weekly_rollup",
        "case_weekly_rollup",
        "winback_weekly_rollup",
        "winback_contact_rollup",
      ])
        rollupRows[table] = await count(client.sql, table);
      return {
        answers: await count(client.sql, "survey_response"),
        cases: await count(client.sql, "cancellation_case"),
        winbackItems: await count(client.sql, "winback_item"),
        rollupRows,
        generateMs,
        refreshMs,
        dashboard,
      };
    } finally {
      await client.close();
    }
  } finally {
    await database.drop();
  }
}

const format = (value: number) => value.toLocaleString("en");

/** The lines `npm run bench` prints. */
export function describeAnalyticsBench(result: AnalyticsBench): string[] {
  return [
    `analytics data: ${format(result.answers)} survey answers, ${format(result.cases)} cases, ${format(result.winbackItems)} win-back items (generated in ${(result.generateMs / 1000).toFixed(0)} s)`,
    `analytics refresh (the 5-minute job): ${(result.refreshMs / 1000).toFixed(1)} s; rollup rows: ${Object.entries(
      result.rollupRows,
    )
      .map(([table, rows]) => `${table} ${format(rows)}`)
      .join(", ")}`,
    ...result.dashboard.map(
      (run) =>
        `analytics dashboard, ${run.weeks} weeks: median ${run.medianMs.toFixed(0)} ms, p95 ${run.p95Ms.toFixed(0)} ms (${RUNS} runs; target: < 1000 ms)`,
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchAnalytics({ log: (line) => console.log(line) });
  for (const line of describeAnalyticsBench(result)) console.log(line);
}
