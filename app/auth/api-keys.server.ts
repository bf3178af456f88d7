import { randomBytes } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { apiKeys } from "../../db/schema";
import type { API_SCOPES } from "../domain/enums";
import { isUniqueViolation } from "../services/notify-cancellation.server";
import { hashToken } from "./tokens.server";

// API keys of the integrations (carriers, the operator's BSS): `ee_<prefix>_<secret>`, shown once.
// Only the SHA-256 of the whole key is stored; the prefix tells keys apart in lists and logs.
// A key of 256 random bits needs no slow hash: nobody can guess it from its SHA-256.

export type ApiScope = (typeof API_SCOPES)[number];

export interface CreatedApiKey {
  id: string;
  /** The full key: give it to the integration now, it cannot be shown again. */
  key: string;
  prefix: string;
}

export interface AuthenticatedApiKey {
  id: string;
  name: string;
  scopes: ApiScope[];
}

export type ApiKeyAuthResult =
  | { ok: true; key: AuthenticatedApiKey }
  | { ok: false; code: "unauthorized" | "insufficient_scope" };

const KEY_PATTERN = /^ee_[0-9a-f]{8}_[A-Za-z0-9_-]{43,}$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(4).toString("hex");
  return { key: `ee_${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export async function createApiKey(
  db: Queryable,
  input: { name: string; scopes: ApiScope[]; createdBy: string | null },
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name === "") throw new Error("an API key needs a name");
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new Error("an API key needs at least one scope");
  // 32 bits of prefix: a collision is rare but possible, and the prefix is unique.
  for (let attempt = 1; ; attempt += 1) {
    const { key, prefix } = generateApiKey();
    try {
      const [row] = await db
        .insert(apiKeys)
        .values({ name, prefix, keyHash: hashToken(key), scopes, createdBy: input.createdBy })
        .returning({ id: apiKeys.id });
      if (!row) throw new Error("api key insert returned no row");
      return { id: row.id, key, prefix };
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, ["api_key_prefix_key"])) continue;
      throw error;
    }
  }
}

/**
 * `Authorization: Bearer ee_…`: the key must exist, not be revoked, and carry `scope`.
 * Records when the key was last used (at most once a minute, to spare a write per request).
 */
export async function authenticateApiKey(
  db: Queryable,
  authorizationHeader: string | null,
  scope: ApiScope,
): Promise<ApiKeyAuthResult> {
  const key = BEARER.exec(authorizationHeader ?? "")?.[1];
  if (key === undefined || !KEY_PATTERN.test(key)) return { ok: false, code: "unauthorized" };
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashToken(key)));
  if (!row || row.revokedAt !== null) return { ok: false, code: "unauthorized" };
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, row.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  if (!row.scopes.includes(scope)) return { ok: false, code: "insufficient_scope" };
  return { ok: true, key: { id: row.id, name: row.name, scopes: row.scopes } };
}

/** Revokes a key at once (its next request is refused). False if unknown or already revoked. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}
