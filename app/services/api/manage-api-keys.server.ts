import { desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { apiKeys } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent } from "../../audit/record-event.server";
import {
  createApiKey,
  revokeApiKey,
  type ApiScope,
  type CreatedApiKey,
} from "../../auth/api-keys.server";

// The API keys admin manages at /staff/reglages/api: list, create (the key is shown once),
// revoke. Each change is audited on the stream `settings:api`, without any key material.

export const API_KEY_STREAM = "settings:api";

export async function listApiKeys(db: Db) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function loadApiKey(db: Db, id: string) {
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, id));
  return row ?? null;
}

export async function createApiKeyAudited(
  db: Db,
  input: { name: string; scopes: ApiScope[]; staffId: string; actor: Actor; meta: RequestMeta },
): Promise<CreatedApiKey> {
  return db.transaction(async (tx) => {
    const created = await createApiKey(tx, {
      name: input.name,
      scopes: input.scopes,
      createdBy: input.staffId,
    });
    await recordEvent(tx, {
      stream: API_KEY_STREAM,
      type: "api_key.created",
      actor: input.actor,
      meta: input.meta,
      data: { apiKeyId: created.id, scopes: [...new Set(input.scopes)] },
    });
    return created;
  });
}

/** False when the key is unknown or already revoked (nothing is recorded then). */
export async function revokeApiKeyAudited(
  db: Db,
  input: { id: string; actor: Actor; meta: RequestMeta },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await revokeApiKey(tx, input.id);
    if (!revoked) return false;
    await recordEvent(tx, {
      stream: API_KEY_STREAM,
      type: "api_key.revoked",
      actor: input.actor,
      meta: input.meta,
      data: { apiKeyId: input.id },
    });
    return true;
  });
}
