import type { LoaderFunctionArgs } from "@remix-run/node";

// GET /.well-known/easy-exit/audit-key.pem — the current audit signing key alone, as the
// `--public-key` of tools/verify-audit-export.mjs (decision 009). Public, no session.
export function loader({ context }: LoaderFunctionArgs) {
  return new Response(context.auditSigner.publicKeyPem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": 'inline; filename="easy-exit-audit-key.pem"',
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
