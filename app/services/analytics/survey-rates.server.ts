import { sql } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { weeksOf, type AnalyticsPeriod, type SurveyWeek } from "../../domain/analytics";

// Share of surveys answered (answered cases / cases) and consent rate (answers with consent /
// answered cases), per week of receipt, from the case rollup. Withdrawn cases are out of the
// rollup, so both sides of each ratio leave them out; neither ratio can exceed 100 %.

export async function surveysByWeek(db: Queryable, period: AnalyticsPeriod): Promise<SurveyWeek[]> {
  const found = await db.execute<SurveyWeek>(sql`
    select week::text as week, sum(cases)::int as cases, sum(answered)::int as answered,
      sum(with_consent)::int as "withConsent"
    from case_weekly_rollup
    where week between ${period.from} and ${period.to}
    group by week
  `);
  const byWeek = new Map(found.map((row) => [row.week, row]));
  return weeksOf(period).map(
    (week) => byWeek.get(week) ?? { week, cases: 0, answered: 0, withConsent: 0 },
  );
}
