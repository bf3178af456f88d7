import type { AppLoadContext } from "@remix-run/node";
import { and, eq, lt, sql } from "drizzle-orm";
import { createHash } from "node:crypto";
import type { Db, Tx } from "../../../db/client";
import { apiIdempotencyKeys } from "../../../db/schema";
import { canonicalJson } from "~/audit/canonical";
import {
  authenticateApiKey,
  type ApiScope,
  type AuthenticatedApiKey,
} from "~/auth/api-keys.server";
import { consumeLimits } from "~/auth/rate-limit.server";
import { IDEMPOTENCY_KEY_HOURS } from "~/services/api/idempotency-keys.server";
import {
  API_ERROR_STATUS,
  apiError,
  apiErrorBody,
  apiJson,
  type ApiErrorCode,
} from "./api-response.server";

// What every /api/v1 endpoint does before its own work: the API key and its scope (401/403),
// the per-key rate limit (429), and for POST/PUT the Idempotency-Key replay (docs/README).

const REALM = 'Bearer realm="easy-exit"';

export { IDEMPOTENCY_KEY_HOURS };
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type GuardResult =
  { ok: true; key: AuthenticatedApiKey } | { ok: false; response: Response };

/** The API key of the request, with `scope`, within its rate limit — or the refusal to send. */
export async function guardApiRequest(
  request: Request,
  context: AppLoadContext,
  scope: ApiScope,
): Promise<GuardResult> {
  const authorization = request.headers.get("authorization");
  const auth = await authenticateApiKey(context.db, authorization, scope);
  if (!auth.ok && auth.code === "unauthorized") {
    return {
      ok: false,
      response: apiError(
        "unauthorized",
        "A valid API key is required: Authorization: Bearer <key>.",
        {
          headers: {
            "WWW-Authenticate": authorization === null ? REALM : `${REALM}, error="invalid_token"`,
          },
        },
      ),
    };
  }
  if (!auth.ok) {
    return {
      ok: false,
      response: apiError("insufficient_scope", `This API key does not have the ${scope} scope.`, {
        headers: { "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${scope}"` },
      }),
    };
  }
  const limit = await consumeLimits(context.db, [{ name: "apiByKey", key: auth.key.id }]);
  if (!limit.ok) {
    return {
      ok: false,
      response: apiError(
        "rate_limited",
        `Too many requests with this key: try again in ${limit.retryAfterSeconds} seconds.`,
        { headers: { "Retry-After": String(limit.retryAfterSeconds) } },
      ),
    };
  }
  return { ok: true, key: auth.key };
}

/** What an operation answers: stored as is for an Idempotency-Key replay. */
export interface ApiResult {
  status: number;
  body: unknown;
}

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
export const fail = (code: ApiErrorCode, message: string, field?: string): ApiResult => ({
  status: API_ERROR_STATUS[code],
  body: apiErrorBody(code, message, field),
});

/**
 * Runs a POST/PUT operation once per Idempotency-Key. The key's row is inserted first, in the
 * operation's transaction: a concurrent request with the same key waits on that row, then
 * replays the stored answer; an operation that throws rolls its key back. The same key with
 * another method, path or body is refused (422 idempotency_key_reused). Without the header the
 * operation simply runs (in a transaction too).
 */
export async function runIdempotent(
  db: Db,
  input: { request: Request; apiKeyId: string; body: unknown },
  operation: (tx: Tx) => Promise<ApiResult>,
): Promise<Response> {
  const key = input.request.headers.get("idempotency-key");
  if (key === null) {
    const result = await db.transaction(operation);
    return apiJson(result.body, { status: result.status });
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return apiError(
      "invalid_idempotency_key",
      "An Idempotency-Key is 1 to 255 printable ASCII characters (a UUID is a good choice).",
      { field: "Idempotency-Key" },
    );
  }
  const method = input.request.method.toUpperCase();
  const path = new URL(input.request.url).pathname;
  const requestHash = createHash("sha256").update(canonicalJson(input.body)).digest("hex");
  const where = and(
    eq(apiIdempotencyKeys.apiKeyId, input.apiKeyId),
    eq(apiIdempotencyKeys.key, key),
  );
  const replay = await db.transaction(async (tx) => {
    // An expired key is forgotten even before the hourly purge runs.
    await tx
      .delete(apiIdempotencyKeys)
      .where(
        and(
          where,
          lt(
            apiIdempotencyKeys.createdAt,
            sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS})`,
          ),
        ),
      );
    const claimed = await tx
      .insert(apiIdempotencyKeys)
      .values({
        apiKeyId: input.apiKeyId,
        key,
        method,
        path,
        requestHash,
        statusCode: 0,
        responseBody: {},
      })
      .onConflictDoNothing()
      .returning({ key: apiIdempotencyKeys.key });
    if (claimed.length === 0) {
      const [stored] = await tx.select().from(apiIdempotencyKeys).where(where);
      if (!stored) throw new Error("idempotency key vanished after a conflict");
      if (stored.method !== method || stored.path !== path || stored.requestHash !== requestHash)
        return {
          replayed: false,
          result: fail(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for another request: use a new key.",
            "Idempotency-Key",
          ),
        };
      return { replayed: true, result: ok(stored.responseBody, stored.statusCode) };
    }
    const result = await operation(tx);
    await tx
      .update(apiIdempotencyKeys)
      .set({ statusCode: result.status, responseBody: result.body as object })
      .where(where);
    return { replayed: false, result };
  });
  return apiJson(replay.result.body, {
    status: replay.result.status,
    headers: replay.replayed ? { "Idempotent-Replayed": "true" } : undefined,
  });
}

// Cursors are opaque to clients: base64url JSON of the last row's sort key.
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
