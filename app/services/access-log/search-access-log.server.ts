import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { ACCESS_LOG_TYPES, type AccessLogType } from "../../domain/access-log";
import type { StaffRole } from "../../domain/enums";
import { isUuid } from "../../domain/ids";
import { normaliseReference } from "../../domain/reference";

// The staff access log: audit events whose actor is a staff member and whose type is a reading
// or an export, newest first, keyset-paginated on (occurred_at, id). Two query shapes, each on
// an index: for one case or notice, its events (audit_event_case_idx; the notice's and the
// subscriber's streams, audit_event_stream_seq_key);
// otherwise, per staff member (one, or each in turn), their latest events through
// audit_event_actor_idx (actor_type, actor_id, occurred_at), merged — so a page costs a few
// index range scans however long the trail is.

export interface AccessLogTarget {
  /** The case's events, and those of the notice it was made from (or the notice's case). */
  caseId: string | null;
  noticeId: string | null;
  /** The case's subscriber: the exports of everything held on them (subject access). */
  subscriberId: string | null;
  reference: string;
}

export interface AccessLogFilter {
  staffId: string | null;
  target: AccessLogTarget | null;
  type: AccessLogType | null;
  /** Instants: [start, end). */
  start: Date | null;
  end: Date | null;
}

/** Where a page starts: after this event (occurred_at as Postgres wrote it, to the microsecond). */
export interface AccessLogCursor {
  occurredAt: string;
  id: number;
}

export type AccessLogRow = {
  id: number;
  occurredAt: Date;
  type: string;
  staffId: string | null;
  staffName: string | null;
  staffRole: StaffRole | null;
  caseId: string | null;
  caseReference: string | null;
  noticeId: string | null;
  noticeReference: string | null;
  data: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  /** This row as a cursor: the next page starts after it. */
  position: AccessLogCursor;
};

const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

/** Keyset cursor: the (occurred_at, id) of the last row shown, opaque to the browser. */
export function encodeAccessCursor(cursor: AccessLogCursor): string {
  return Buffer.from(`${cursor.occurredAt}|${cursor.id}`).toString("base64url");
}

export function decodeAccessCursor(cursor: string | null): AccessLogCursor | null {
  if (!cursor) return null;
  const [occurredAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const number = Number(id);
  if (!PG_TIMESTAMP.test(occurredAt ?? "") || !Number.isSafeInteger(number) || number < 1)
    return null;
  return { occurredAt: occurredAt!, id: number };
}

/**
 * A case reference (RX-…) or a notice reference (NT-…), as typed (lower case, no dashes): the
 * case and the notice it was made from, or the notice and the case made from it. Null: unknown.
 */
export async function resolveAccessTarget(
  db: Queryable,
  typed: string,
): Promise<AccessLogTarget | null> {
  const reference = normaliseReference(typed);
  if (!/^(RX|NT)-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(reference)) return null;
  type Found = { caseId: string | null; noticeId: string | null; subscriberId: string | null };
  const [row] = reference.startsWith("RX")
    ? await db.execute<Found>(sql`
        select c.id as "caseId", c.subscriber_id as "subscriberId",
          (select n.id from unmatched_notice n where n.matched_case_id = c.id limit 1) as "noticeId"
        from cancellation_case c where c.reference = ${reference}`)
    : await db.execute<Found>(sql`
        select n.matched_case_id as "caseId", n.id as "noticeId", c.subscriber_id as "subscriberId"
        from unmatched_notice n left join cancellation_case c on c.id = n.matched_case_id
        where n.reference = ${reference}`);
  return row ? { ...row, reference } : null;
}

const ALL_TYPES = sql.raw(ACCESS_LOG_TYPES.map((type) => `'${type}'`).join(", "));

/** The conditions every shape shares: a reading or export by staff, the type, the days, the cursor. */
function common(filter: AccessLogFilter, after: AccessLogCursor | null): SQL {
  const conditions: SQL[] = [
    sql`e.actor_type = 'staff'`,
    filter.type ? sql`e.type = ${filter.type}` : sql`e.type in (${ALL_TYPES})`,
  ];
  if (filter.start)
    conditions.push(sql`e.occurred_at >= ${filter.start.toISOString()}::timestamptz`);
  if (filter.end) conditions.push(sql`e.occurred_at < ${filter.end.toISOString()}::timestamptz`);
  if (after)
    conditions.push(sql`(e.occurred_at, e.id) < (${after.occurredAt}::timestamptz, ${after.id})`);
  return sql.join(conditions, sql` and `);
}

const EVENT_COLUMNS = sql`e.id, e.occurred_at, e.type, e.actor_id, e.case_id, e.stream, e.data,
  e.ip, e.user_agent`;

function matchingEvents(filter: AccessLogFilter, after: AccessLogCursor | null, limit: number) {
  const { target } = filter;
  if (target) {
    const about: SQL[] = [];
    if (target.caseId) about.push(sql`e.case_id = ${target.caseId}`);
    if (target.noticeId) about.push(sql`e.stream = ${`notice:${target.noticeId}`}`);
    if (target.subscriberId) about.push(sql`e.stream = ${`subscriber:${target.subscriberId}`}`);
    return sql`
      select ${EVENT_COLUMNS} from audit_event e
      where ${common(filter, after)} and (${sql.join(about, sql` or `)})
        ${filter.staffId ? sql`and e.actor_id = ${filter.staffId}` : sql``}
      order by e.occurred_at desc, e.id desc
      limit ${limit}`;
  }
  return sql`
    select k.* from staff_user s
    cross join lateral (
      select ${EVENT_COLUMNS} from audit_event e
      where e.actor_id = s.id::text and ${common(filter, after)}
      order by e.occurred_at desc, e.id desc
      limit ${limit}
    ) k
    ${filter.staffId ? sql`where s.id = ${filter.staffId}` : sql``}
    order by k.occurred_at desc, k.id desc
    limit ${limit}`;
}

type RawRow = Omit<AccessLogRow, "occurredAt" | "position"> & {
  occurredAt: Date | string;
  /** occurred_at in UTC, to the microsecond. */
  exactAt: string;
};

/** One page of the log (newest first) and the cursor of the next, if any. */
export async function searchAccessLog(
  db: Queryable,
  input: { filter: AccessLogFilter; cursor: AccessLogCursor | null; pageSize: number },
): Promise<{ rows: AccessLogRow[]; nextCursor: string | null }> {
  const found = await db.execute<RawRow>(sql`
    select m.id::int as id, m.occurred_at as "occurredAt",
      to_char(m.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "exactAt",
      m.type,
      m.actor_id as "staffId", s.display_name as "staffName", s.role as "staffRole",
      m.case_id as "caseId", c.reference as "caseReference",
      n.id as "noticeId", n.reference as "noticeReference",
      m.data, m.ip, m.user_agent as "userAgent"
    from (${matchingEvents(input.filter, input.cursor, input.pageSize + 1)}) m
    left join staff_user s on s.id::text = m.actor_id
    left join cancellation_case c on c.id = m.case_id
    left join unmatched_notice n
      on n.id = (case when m.stream like 'notice:%' then substring(m.stream from 8)::uuid end)
    order by m.occurred_at desc, m.id desc
  `);
  const rows = found.map(({ exactAt, ...row }) => ({
    ...row,
    occurredAt: new Date(row.occurredAt),
    position: { occurredAt: exactAt, id: row.id },
  }));
  const page = rows.slice(0, input.pageSize);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > input.pageSize && last ? encodeAccessCursor(last.position) : null,
  };
}

/** Every row of the log for the filter, newest first, a batch at a time (for the CSV). */
export async function* eachAccessLogRow(
  db: Queryable,
  filter: AccessLogFilter,
  batchSize = 1_000,
): AsyncGenerator<AccessLogRow> {
  let cursor: AccessLogCursor | null = null;
  for (;;) {
    const { rows } = await searchAccessLog(db, { filter, cursor, pageSize: batchSize });
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    cursor = last.position;
  }
}

/** The staff members, for the filter's list (disabled ones too: their readings stay logged). */
export async function listStaffForAccessLog(db: Queryable) {
  return db.execute<{ id: string; displayName: string; role: StaffRole; disabled: boolean }>(sql`
    select id, display_name as "displayName", role, disabled_at is not null as disabled
    from staff_user order by display_name, id
  `);
}

export function isStaffId(value: string): boolean {
  return isUuid(value);
}
