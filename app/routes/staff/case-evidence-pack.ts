import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { downloadEvidencePack } from "~/services/evidence-pack/download-evidence-pack.server";
import { zipResponse } from "~/services/zip-archive.server";

/**
 * GET /staff/dossiers/:caseId/preuves.zip — the case's evidence pack, made now and streamed;
 * the download is recorded in the case's audit trail (`evidence.downloaded`).
 */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.caseEvidencePack);
  const { db, auditSigner, env, requestMeta } = args.context;
  const pack = await downloadEvidencePack(
    { db, signer: auditSigner, appUrl: env.APP_URL },
    {
      caseId: args.params.caseId ?? "",
      requester: { kind: "staff", staffId: staff.staff.id },
      meta: requestMeta,
    },
  );
  if (!pack) throw data({ reason: "not_found" }, { status: 404 });
  return zipResponse(pack.body, pack.fileName);
}
