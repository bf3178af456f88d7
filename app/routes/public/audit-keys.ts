import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedAuditKeys } from "~/services/audit-signing-keys.server";

// GET /.well-known/easy-exit/audit-keys.json — every Ed25519 key that signed audit checkpoints
// and export manifests, for anyone verifying them (decision 009). Public, no session.
export async function loader({ context }: LoaderFunctionArgs) {
  const keys = await publishedAuditKeys(context.db, context.auditSigner);
  return new Response(`${JSON.stringify({ keys }, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
