import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { consumeLimits } from "~/auth/rate-limit.server";
import { downloadEvidencePack } from "~/services/evidence-pack/download-evidence-pack.server";
import { zipResponse } from "~/services/zip-archive.server";
import { requireCaseByToken } from "./case-access.server";

// GET /dossier/:token/preuves.zip — the case's evidence pack, only for the holder of the case
// link (another or a wrong token: 404). Made now and streamed; the download is audited. Too many
// downloads of one case in an hour lead back to the case page, which says when to try again.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const view = await requireCaseByToken(context, params.token);
  const limit = await consumeLimits(context.db, [
    { name: "evidencePackByCase", key: view.case.id },
  ]);
  if (!limit.ok) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
    throw redirect(`/dossier/${params.token}?preuves=attente&minutes=${minutes}#preuves`, {
      status: 303,
      headers: { "Retry-After": String(limit.retryAfterSeconds) },
    });
  }
  const pack = await downloadEvidencePack(
    { db: context.db, signer: context.auditSigner, appUrl: context.env.APP_URL },
    {
      caseId: view.case.id,
      requester: { kind: "subscriber", subscriberId: view.case.subscriberId },
      meta: context.requestMeta,
    },
  );
  if (!pack) throw new Response("Not Found", { status: 404 });
  return zipResponse(pack.body, pack.fileName);
}
