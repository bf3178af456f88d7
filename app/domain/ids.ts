/**
 * Whether a URL segment can be a row id (a UUID). Checked before querying, so that a mistyped
 * address is a 404 rather than a database error.
 */
export function isUuid(value: string | null | undefined): value is string {
  return (
    typeof value === "string" &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}
