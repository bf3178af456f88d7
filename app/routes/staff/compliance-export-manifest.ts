import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { loadAuditExportManifest } from "~/services/audit-export/list-audit-exports.server";
import { manifestText } from "~/services/audit-export/manifest.server";

/** The signed manifest of a completed export (`<file>.manifest.json`), from the export history. */
export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.complianceExportManifest);
  const manifest = await loadAuditExportManifest(args.context.db, args.params.exportId ?? "");
  if (!manifest) throw data({ reason: "not_found" }, { status: 404 });
  return new Response(manifestText(manifest), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${manifest.file}.manifest.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
