import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import type { FieldErrors } from "~/components/form";
import { translate, type Lang } from "~/i18n/i18n";
import { resolveLang } from "~/i18n/lang.server";
import { fieldErrors } from "~/routes/public/form-data";
import { startAuditExport } from "~/services/audit-export/export-audit-trail.server";
import { AuditExportRequestSchema, exportRequestInput } from "~/services/audit-export/filters";
import { webStreamOf } from "~/services/audit-export/web-stream.server";

/**
 * The download of an audit trail export (`/staff/conformite/exports/telecharger?from=…&to=…`):
 * the file streams as it is read from the database; the `audit_export` row is created now and
 * completed, with its signed manifest and an `audit.exported` event, before the last byte.
 * The page links here only after checking the filters; a hand-made URL with bad filters gets
 * a translated 400.
 */
export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.complianceExportDownload);
  const { request, context } = args;
  const { lang } = resolveLang(request);
  const parsed = AuditExportRequestSchema.safeParse(
    exportRequestInput(new URL(request.url).searchParams),
  );
  if (!parsed.success) return refusal(lang, fieldErrors(parsed.error));
  if (request.method === "HEAD") return new Response(null, { headers: NO_STORE });

  const started = await startAuditExport(
    { db: context.db, signer: context.auditSigner, logger: context.logger },
    {
      request: parsed.data,
      requester: {
        kind: "staff",
        staffId: staff.staff.id,
        actor: staff.actor,
        meta: context.requestMeta,
      },
    },
  );
  if (!started.ok && started.problem === "busy")
    return refusal(lang, { form: "staff.auditExport.error.busy" }, 503);
  if (!started.ok) return refusal(lang, { case: "staff.auditExport.error.caseUnknown" });
  const { body, contentType, fileName } = started.export;
  // The client went away: stop reading the database and mark the export failed.
  request.signal.addEventListener("abort", () => body.destroy(new Error("download aborted")), {
    once: true,
  });
  return new Response(webStreamOf(body), {
    headers: {
      ...NO_STORE,
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "X-Content-Type-Options": "nosniff",
    },
  });
}

const NO_STORE = { "Cache-Control": "private, no-store" };

function refusal(lang: Lang, errors: FieldErrors, status = 400): Response {
  const problems = Object.values(errors).flatMap((key) => (key ? [translate(lang, key)] : []));
  return new Response(
    `${problems.map((problem) => translate(lang, "staff.auditExport.refused", { problem })).join("\n")}\n`,
    {
      status,
      headers: {
        ...NO_STORE,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Language": lang,
        ...(status === 503 ? { "Retry-After": "30" } : {}),
      },
    },
  );
}
