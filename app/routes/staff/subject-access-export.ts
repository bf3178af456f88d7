import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { exportSubjectAccess } from "~/services/subject-access/export-subject-access.server";
import { zipResponse } from "~/services/zip-archive.server";

/**
 * GET /staff/abonnes/:subscriberId/donnees.zip — everything held on one subscriber (GDPR art. 15),
 * made now and streamed; the export is recorded in the subscriber's audit chain.
 */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.subjectAccessExport);
  const { db, auditSigner, requestMeta } = args.context;
  const exported = await exportSubjectAccess(
    { db, signer: auditSigner },
    {
      subscriberId: args.params.subscriberId ?? "",
      staffId: staff.staff.id,
      actor: staff.actor,
      meta: requestMeta,
    },
  );
  if (!exported) throw data({ reason: "not_found" }, { status: 404 });
  return zipResponse(exported.body, exported.fileName);
}
