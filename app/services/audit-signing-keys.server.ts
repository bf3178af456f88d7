import { asc } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { auditSigningKeys } from "../../db/schema";
import type { AuditSigner } from "../audit/signing.server";

/** One key of `/.well-known/easy-exit/audit-keys.json` (docs/decisions/009). */
export interface PublishedAuditKey {
  keyId: string;
  algorithm: "Ed25519";
  publicKeyPem: string;
  /** When it first signed (null: the current key has not signed anything yet). */
  firstUsedAt: string | null;
  current: boolean;
}

/**
 * Every key that ever signed a checkpoint or a manifest, oldest first, and the current one (even
 * before its first signature): old checkpoints stay verifiable after a rotation.
 */
export async function publishedAuditKeys(
  db: Queryable,
  signer: AuditSigner,
): Promise<PublishedAuditKey[]> {
  const rows = await db.select().from(auditSigningKeys).orderBy(asc(auditSigningKeys.firstUsedAt));
  const keys: PublishedAuditKey[] = rows.map((row) => ({
    keyId: row.keyId,
    algorithm: "Ed25519",
    publicKeyPem: row.publicKeyPem,
    firstUsedAt: row.firstUsedAt.toISOString(),
    current: row.keyId === signer.keyId,
  }));
  if (!keys.some((key) => key.current))
    keys.push({
      keyId: signer.keyId,
      algorithm: "Ed25519",
      publicKeyPem: signer.publicKeyPem,
      firstUsedAt: null,
      current: true,
    });
  return keys;
}
