import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Queryable } from "./client";

// Bulk inserts for the demo seed's year of history (tens of thousands of rows): one statement
// per few thousand rows, each column sent as one array parameter and spread by `unnest`, which
// is several times faster than a multi-row VALUES with one parameter per cell. Columns left out
// of a row are NULL (not their default): a NOT NULL column left out fails loudly.

const ROWS_PER_STATEMENT = 2_500;

/** A Postgres array literal of text elements (`{"a","b\"c",NULL}`). */
function arrayLiteral(values: readonly (string | null)[]): string {
  const items = values.map((value) =>
    value === null ? "NULL" : `"${value.replace(/["\\]/g, "\\$&")}"`,
  );
  return `{${items.join(",")}}`;
}

function cell(column: PgColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const type = column.getSQLType();
  if (type === "jsonb" || type === "json") return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "string" || typeof value === "number") return String(value);
  throw new Error(`bulk insert: unsupported value for ${column.name} (${type})`);
}

export async function bulkInsert<T extends PgTable>(
  db: Queryable,
  table: T,
  rows: readonly T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter(
    (key) => key in columns,
  );
  for (const key of keys)
    if (columns[key]!.getSQLType().endsWith("]"))
      throw new Error(`bulk insert: array column ${key} is not supported`);
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const arrays: SQL[] = keys.map((key) => {
      const column = columns[key]!;
      const values = chunk.map((row) => cell(column, (row as Record<string, unknown>)[key]));
      return sql`${arrayLiteral(values)}::${sql.raw(column.getSQLType())}[]`;
    });
    const names = sql.raw(keys.map((key) => `"${columns[key]!.name}"`).join(", "));
    await db.execute(
      sql`insert into ${table} (${names}) select * from unnest(${sql.join(arrays, sql`, `)})`,
    );
  }
}
